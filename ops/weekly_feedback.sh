#!/usr/bin/env bash
# The weekly feedback loop, as one job: the last 7 days' conversations rated below 8 or handed to a
# human (with the agent's final resolution), PII scrubbed, refresh 10% of the training set.
#
#   KEFU_DATA_DIR=/srv/kefu/var ops/weekly_feedback.sh [TRAIN_DIR]     # default TRAIN_DIR: $KEFU_DATA_DIR/finetune/data
#
# cron, Mondays at 03:00 shop time:
#   0 3 * * 1  cd /srv/kefu && KEFU_DATA_DIR=/srv/kefu/var ops/weekly_feedback.sh >> /srv/kefu/var/weekly.log 2>&1
#
# Days are in KEFU_SHOP_TIMEZONE (default Asia/Shanghai), as in kefu.
# TRAIN_DIR must hold last week's train.jsonl (build the first one with `python -m finetune data ...`).
# Each week's export stays in $KEFU_DATA_DIR/feedback/YYYY-MM-DD/feedback.jsonl; TRAIN_DIR/report.json
# says what the refresh replaced. KEFU_PYTHON picks the interpreter (default: the repo's .venv).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${KEFU_PYTHON:-$root/.venv/bin/python}"
data_dir="${KEFU_DATA_DIR:-./var}"
train_dir="${1:-$data_dir/finetune/data}"
today="$(TZ="${KEFU_SHOP_TIMEZONE:-Asia/Shanghai}" date +%F)"
since="$(TZ="${KEFU_SHOP_TIMEZONE:-Asia/Shanghai}" date -d "7 days ago" +%F)"
week_dir="$data_dir/feedback/$today"

"$python" -m app feedback export --out "$week_dir" --since "$since"
"$python" -m finetune data --inputs "$week_dir/feedback.jsonl" --refresh --out "$train_dir"
