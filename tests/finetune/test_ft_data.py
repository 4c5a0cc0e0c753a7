"""Data pipeline of finetune: format, PII, language, KG checks, sampling, split, feedback."""

from __future__ import annotations

import json
import random
import sqlite3

import pytest

from finetune import corpus, feedback
from finetune.dialogues import Dialogue, Turn, load_dialogues
from finetune.kg import build_kg
from finetune.pii import id_card_valid, luhn_valid, mask_text, scrub_dialogues
from finetune.pipeline import DataConfig, run_data
from finetune.text import synonym_swap
from knowledge.language import served_language


def _dlg(did: str, customer: str, agent: str = "好的，已为您处理。", **kw) -> Dialogue:
    return Dialogue(id=did, turns=[Turn("customer", customer), Turn("agent", agent, by="bot")], **kw)


def test_load_dialogues_reports_bad_lines_and_keeps_the_rest(tmp_path):
    good = {
        "id": "a",
        "turns": [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "您好"}],
    }
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({"id": "b"}),
        "",
        json.dumps([1, 2]),
        json.dumps({"id": "c", "turns": [{"role": "alien", "text": "x"}]}),
        json.dumps({"id": "d", "rating": 42, "turns": []}),
        json.dumps({**good, "id": "e"}),
    ]
    path = tmp_path / "logs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = load_dialogues(path)
    assert [d.id for d in report.dialogues] == ["a", "e"]
    assert report.dialogues[0].turns[0].role == "customer" and report.dialogues[0].turns[1].role == "agent"
    assert [e["line"] for e in report.errors] == [2, 3, 5, 6, 7]
    assert "invalid JSON" in report.errors[0]["error"] and "unknown role" in report.errors[3]["error"]


def test_load_dialogues_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="not found"):
        load_dialogues(tmp_path / "nope.jsonl")


@pytest.mark.parametrize(
    "number,ok", [("11010519491231002X", True), ("110105194912310021", False), ("110105194913310029", False)]
)
def test_id_card_checksum(number, ok):
    assert id_card_valid(number) is ok


@pytest.mark.parametrize(
    "number,ok", [("4111111111111111", True), ("6222020200112233445", False), ("4111111111111112", False)]
)
def test_luhn(number, ok):
    assert luhn_valid(number) is ok


@pytest.mark.parametrize(
    "text,expected,kind",
    [
        ("电话13812345678", "电话[PHONE]", "phone"),
        ("打138-1234-5678找我", "打[PHONE]找我", "phone"),
        ("身份证11010519491231002X", "身份证[ID]", "id_card"),
        ("卡号4111111111111111", "卡号[CARD]", "bank_card"),
        ("邮箱a.b@example.com", "邮箱[EMAIL]", "email"),
        ("麻烦张先生收一下", "麻烦[NAME]收一下", "name"),
        ("我叫王小明", "我叫[NAME]", "name"),
        ("地址改成北京市朝阳区建国路88号", "地址改成[ADDRESS]", "address"),
        ("my name is John Smith", "my name is [NAME]", "name"),
    ],
)
def test_mask_text(text, expected, kind):
    masked, counts = mask_text(text)
    assert masked == expected and counts[kind] == 1


def test_order_numbers_are_not_pii():
    text = "订单号313021098954，快递单号SF1234567890123"
    assert mask_text(text)[0] == text


def test_scrub_drops_what_cannot_be_masked_safely():
    kept, report = scrub_dialogues(
        [
            _dlg("ok", "电话13812345678"),
            _dlg("bad-id", "我的身份证号是110105194912310021"),  # 18 digits, wrong checksum
            _dlg("long", "这串12345678901234567你们看下"),
        ]
    )
    assert [d.id for d in kept] == ["ok"] and kept[0].turns[0].text == "电话[PHONE]"
    assert report.dropped == 2 and report.as_dict()["dropped_share"] == pytest.approx(2 / 3, abs=1e-3)


@pytest.mark.parametrize(
    "text,lang",
    [
        ("我的快递到哪了", "zh"),
        ("where is my package", "en"),
        ("我的order怎么还没ship", "mixed"),
        ("Где моя посылка?", "unsupported"),
        ("荷物はどこですか", "unsupported"),
        ("！！！123", "unknown"),
    ],
)
def test_detect_language(text, lang):
    assert served_language(text) == lang


def test_kg_flags_contradictions_and_accepts_rules():
    kg = build_kg(policies_dir=None)
    assert not kg.check_text(
        "签收后7天内未使用可以七天无理由退货，支付宝1-3个工作日到账，银行卡3-7个工作日到账。"
    )
    wrong = kg.check_text("签收后15天内可以无理由退货。生鲜支持七天无理由退货。")
    assert {t.fact_id for t in wrong} == {"no_reason_return_days", "no_reason_return_fresh"}
    assert all(t.gold != t.written for t in wrong)


def test_kg_follows_policy_documents(tmp_path):
    (tmp_path / "p.md").write_text(
        "---\nid: r\n---\n签收后10天内可申请无理由退货。无理由退货需未使用。超过10天不支持无理由退货。",
        encoding="utf-8",
    )
    kg = build_kg(policies_dir=tmp_path)
    assert kg.values()["no_reason_return_days"] == "10"
    assert kg.overrides == [{"fact": "no_reason_return_days", "default": "7", "policy": "10"}]


def test_stratified_sampling_keeps_small_categories():
    rng = random.Random(0)
    items = [_dlg(f"a{i}", "x", category="apparel", intent="return_request") for i in range(95)]
    items += [_dlg(f"f{i}", "x", category="fresh", intent="return_request") for i in range(5)]
    sample = corpus.stratified_sample(items, 30, rng, (lambda d: d.category, lambda d: d.intent))
    assert len(sample) == 30 and sum(d.category == "fresh" for d in sample) == 5


def test_split_keeps_augmented_copies_with_their_original():
    rng = random.Random(1)
    base = [_dlg(f"d{i}", f"我要退货{i}，物流太慢") for i in range(200)]
    copies = corpus.augment(base, 1.0, rng)
    assert copies and all(c.meta["origin"] != c.id for c in copies)
    parts = corpus.split(base + copies, 0.2, 0.2, seed=3)
    where = {d.id: name for name, ds in parts.items() for d in ds}
    assert all(where[c.id] == where[c.meta["origin"]] for c in copies)
    assert all(len(parts[k]) > 0 for k in parts)


def test_synonym_table_from_the_guide():
    outs = {synonym_swap("我要退货", random.Random(s)) for s in range(20)}
    assert outs == {"我要退款", "我要撤回订单"}


def test_dedup_ignores_spacing_and_digits():
    kept, removed = corpus.dedup(
        [_dlg("a", "订单 123 到哪了"), _dlg("b", "订单456到哪了！"), _dlg("c", "别的")]
    )
    assert [d.id for d in kept] == ["a", "c"] and removed == 1


def test_feedback_ratings_from_sqlite_and_refresh(tmp_path):
    db = tmp_path / "service.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE ratings(session_id TEXT, rating INTEGER, comment TEXT, created_at TEXT)")
        conn.executemany(
            "INSERT INTO ratings VALUES (?,?,?,?)",
            [("s1", 3, "没解决", "2026-11-01"), ("s2", 9, "", "2026-11-01")],
        )
    dialogues = [_dlg("s1", "退款呢"), _dlg("s2", "谢谢"), _dlg("s3", "在吗")]
    assert feedback.attach_ratings(dialogues, feedback.load_ratings(db)) == 2
    low = feedback.mark_low_rated(dialogues, threshold=8)
    assert [d.id for d in low] == ["s1"] and low[0].meta["no_loss_turns"] == [1]
    previous = [_dlg(f"p{i}", f"q{i}") for i in range(50)]
    new, rep = feedback.refresh(previous, dialogues + [_dlg(f"n{i}", "x") for i in range(20)], share=0.1)
    assert rep.replaced == 5 and rep.added_feedback == 1 and len(new) == 50
    assert "s1" in {d.id for d in new}


def test_ratings_db_missing_is_clear(tmp_path):
    with pytest.raises(feedback.RatingsError, match="not found"):
        feedback.load_ratings(tmp_path / "none.db")


def test_pipeline_on_synthetic_and_bad_logs(tmp_path):
    logs = tmp_path / "logs.jsonl"
    rows = [
        {
            "id": "ru",
            "turns": [{"role": "customer", "text": "Где моя посылка?"}, {"role": "agent", "text": "Sorry"}],
        },
        {"id": "empty", "turns": [{"role": "customer", "text": "   "}]},
    ]
    logs.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n{broken\n", encoding="utf-8"
    )
    report = run_data(DataConfig(out=str(tmp_path / "out"), inputs=[str(logs)], synthetic=300, seed=5))
    assert report["malformed_lines"][str(logs)] == [
        {"line": 3, "error": report["malformed_lines"][str(logs)][0]["error"]}
    ]
    assert report["filtered"] == {"empty": 1, "unsupported_language": 1}
    assert 0.03 <= report["pii_dropped_share"] <= 0.15
    assert report["kg_contradicting_turns"] == 0 and report["feedback_dialogues"] > 0
    assert len(report["train_by_category"]) >= 6
    for name in ("train", "val", "test"):
        assert (tmp_path / "out" / f"{name}.jsonl").stat().st_size > 0
    triples = [json.loads(x) for x in (tmp_path / "out" / "triples.jsonl").read_text().splitlines()]
    from finetune.resources import intents

    assert {t["intent"] for t in triples} <= set(intents()) and len({t["intent"] for t in triples}) >= 18


@pytest.mark.parametrize(
    "text",
    [
        "订单实付满99元包邮，不满99元的订单收取运费8元。",
        "运费险按实际寄回运费赔付，每单最高12元。",
        "银行卡退款3-7个工作日到账，支付宝1-3个工作日到账。",
    ],
)
def test_kg_reads_sentences_with_several_numbers(text):
    kg = build_kg(policies_dir=None)
    assert kg.targets(text) and not kg.check_text(text)


def test_kg_agrees_with_the_shipped_demo_policies():
    from finetune.resources import POLICIES_DIR

    if not POLICIES_DIR.is_dir():
        pytest.skip("knowledge/demo_policies not present in this checkout")
    kg = build_kg()
    assert kg.overrides == []
    for path in POLICIES_DIR.rglob("*.md"):
        assert not kg.check_text(path.read_text(encoding="utf-8")), path.name


def test_scrubbing_long_text_stays_linear():
    text = "我想问一下这个东西怎么样了" * 4000 + "\x00\x07"
    masked, counts = mask_text(text)
    assert masked == text and not counts


def test_dialogue_from_kefu_state_round_trips(tmp_path):
    from finetune.dialogues import dialogue_from_state, save_dialogues

    state = {
        "messages": [
            {"role": "user", "content": "退款怎么还没到", "turn": 1},
            {"role": "assistant", "content": "支付宝1-3个工作日到账。", "turn": 1},
            {"role": "agent", "content": "我是人工客服，已为您加急。", "turn": 2},
            {"role": "system", "content": "handoff", "turn": 2},
        ],
        "emotion_history": [{"label": "anxious", "intensity": 0.7, "turn": 1}],
        "intent": "refund_status",
        "language": "zh",
        "resolved": True,
        "handoff": {"active": True},
    }
    d = dialogue_from_state("sess-1", state, rating=5)
    assert [(t.role, t.by) for t in d.turns] == [("customer", None), ("agent", "bot"), ("agent", "human")]
    assert d.turns[0].emotion == "anxious" and d.meta == {"handoff": True}
    save_dialogues([d], tmp_path / "x.jsonl")
    back = load_dialogues(tmp_path / "x.jsonl").dialogues[0]
    assert back.rating == 5 and [t.by for t in back.turns] == [None, "bot", "human"]
    assert feedback.mark_low_rated([back])[0].meta["no_loss_turns"] == [1]  # the bot answer, not the human's
