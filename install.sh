#!/usr/bin/env bash
# Installs kefu into ./.venv. With --test also the test tools, Debian's chromium for browser tests,
# espeak-ng for the voice tests, a CJK font for readable screenshots and postgresql (its initdb/pg_ctl start
# throwaway servers in the scale-out tests).
set -euo pipefail
cd "$(dirname "$0")"
python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
extras=""
if [ "${1:-}" = "--test" ]; then
  extras="[test]"
  missing=""
  command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
  command -v espeak-ng >/dev/null 2>&1 || missing="$missing espeak-ng"   # synthesised speech for the voice tests
  fc-list 2>/dev/null | grep -qi "wqy" || missing="$missing fonts-wqy-microhei"   # Chinese in screenshots
  # the scale-out tests start a throwaway Postgres with Debian's initdb/pg_ctl
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
  if [ -n "$missing" ]; then
    sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq $missing >/dev/null
  fi
fi
# torch==2.13.0 (CPU build) comes from the machine's pip configuration (pip config list shows where).
.venv/bin/pip install -q --disable-pip-version-check -e ".${extras}" 2> >(grep -v "is ignored: it is neither" >&2)
