"""Shadow replay: figures the agent stated against kefu's reply, and a replay of the committed transcripts
with its side-by-side report (opened in headless Chromium)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main
from app.settings import get_settings
from evals.figures import Figure, cn_number, compare_figures, figures
from evals.replay_record import pair_turns
from finetune.dialogues import load_dialogues, parse_dialogue

TRANSCRIPTS = Path(__file__).resolve().parents[2] / "evals" / "examples" / "shadow_transcripts.jsonl"


@pytest.mark.parametrize("text,number", [("七", "7"), ("十五", "15"), ("二十四", "24"), ("两", "2"), ("一百八十", "180"), ("abc", "abc")])
def test_chinese_numerals(text: str, number: str) -> None:
    assert cn_number(text) == number


def test_figures_of_a_reply() -> None:
    text = "七天无理由，退款¥158.0，支付宝1-3个工作日到账，48小时内发货，单号SF738264246827，订单360364095033"
    assert figures(text) == [
        Figure("7", "天"), Figure("1-3", "工作日"), Figure("48", "小时"), Figure("158", "元"),
        Figure("SF738264246827", "id"), Figure("360364095033", "id"),
    ]
    assert figures("2026-12-09送达，今天下午") == []  # dates and bare numbers are not figures


@pytest.mark.parametrize(
    "agent,kefu,agreed,missing,contradicted",
    [
        ("满99元包邮，不满收8元", "订单满99元包邮。不满99元收取运费8元。", ["99元", "8元"], [], []),
        ("支付宝一般3-5个工作日到账", "支付宝、微信支付：1-3个工作日到账", [], [], ["3-5工作日 (kefu: 1-3工作日)"]),
        ("七天无理由，质量问题15天内可退", "自签收次日起7天内可无理由退货", ["7天"], ["15天"], []),
        ("预计3个工作日到账", "预计1-3个工作日到账", ["3工作日"], [], []),
        ("快递单号SF1234567890", "您的包裹已发出", [], ["SF1234567890"], []),
        ("好的，已经帮您处理", "已为您办理完成", [], [], []),
    ],
)
def test_agent_figures_against_kefus_reply(agent: str, kefu: str, agreed: list[str], missing: list[str],
                                           contradicted: list[str]) -> None:
    check = compare_figures(agent, kefu).to_json()
    assert check == {"agreed": agreed, "missing": missing, "contradicted": contradicted}


def test_each_customer_turn_is_paired_with_the_agents_following_answer() -> None:
    dialogue = parse_dialogue({"id": "x", "turns": [
        {"role": "agent", "text": "您好"},  # before the customer says anything: nothing to pair
        {"role": "customer", "text": "在吗"},
        {"role": "customer", "text": "退款多久到账"},
        {"role": "agent", "text": "1-3个工作日"},
        {"role": "human", "text": "请耐心等待"},
        {"role": "user", "text": "好"},
    ]})
    assert [(c, a) for c, a, _ in pair_turns(dialogue)] == [
        ("在吗", ""), ("退款多久到账", "1-3个工作日\n请耐心等待"), ("好", "")]


@pytest.fixture(scope="module")
def replay_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The committed transcripts replayed once through the CLI (in-process, on a temporary shop)."""
    out = tmp_path_factory.mktemp("replay")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KEFU_DATA_DIR", str(out / "shop"))
        get_settings.cache_clear()
        code = main(["eval", "run", "--suite", "replay", "--data", str(TRANSCRIPTS), "--out", str(out / "run"),
                     "--quiet"])
        get_settings.cache_clear()
    assert code == 0
    assert not (out / "shop" / "shop.db").exists()  # replayed on a copy: the configured shop was never written
    yield out / "run"


@pytest.mark.slow
def test_replay_summary_and_side_by_side_records(replay_run: Path) -> None:
    summary = json.loads((replay_run / "summary.json").read_text(encoding="utf-8"))
    dialogues = load_dialogues(TRANSCRIPTS).dialogues
    customer_turns = sum(1 for d in dialogues for t in d.turns if t.role == "customer")
    assert summary["conversations"] == len(dialogues) and summary["turns"] == customer_turns
    for key in ("handoff_rate", "would_have_resolved", "fact_agreement", "intent_agreement"):
        assert 0.0 <= summary[key] <= 1.0, key
    assert summary["agent_figures"] == sum(
        summary[k] for k in ("figures_missing", "figures_contradicted")) + round(
        summary["fact_agreement"] * summary["agent_figures"])
    assert summary["errors"] == 0 and summary["skipped_lines"] == 0
    records = {r["id"]: r for r in map(json.loads, (replay_run / "records.jsonl").read_text().splitlines())}
    human = records["shadow-004"]  # the customer demands a person at once
    assert human["handoff_turn"] == 1 and human["handoff_reason"] and not human["would_have_resolved"]
    assert summary["handoff_rate"] >= 1 / len(dialogues)
    refund = records["shadow-002"]["turns"][0]  # the agent's 3-5 working days against the policy's figure
    assert refund["agent"].startswith("仓库收到") and refund["kefu"] and refund["intent"]
    assert refund["figures"]["contradicted"] or refund["figures"]["agreed"]
    assert all(t["emotion"] for r in records.values() for t in r["turns"])


@pytest.mark.slow
@pytest.mark.browser
def test_the_replay_report_shows_its_rows_in_chromium(replay_run: Path, chromium) -> None:
    summary = json.loads((replay_run / "summary.json").read_text(encoding="utf-8"))
    page = chromium.new_page()
    page.goto((replay_run / "report.html").as_uri())
    page.wait_for_selector("body[data-rendered='1']")
    rows = page.locator("tr.replay-row")
    assert rows.count() == summary["turns"]
    assert page.locator("details.replay-conversation").count() == summary["conversations"]
    first = rows.nth(0).locator("td")
    assert first.nth(1).inner_text() == "请问买多少钱可以免运费呀"  # the customer
    assert "99" in first.nth(2).inner_text() and "99" in first.nth(3).inner_text()  # kefu beside the agent
    assert page.get_by_text("kefu would have handed off at turn 1").count() == 1
    assert page.locator("tr.replay-row.handoff").count() >= 1


@pytest.mark.slow
def test_malformed_lines_are_skipped_and_an_empty_file_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KEFU_DATA_DIR", str(tmp_path / "shop"))
    get_settings.cache_clear()
    data = tmp_path / "mixed.jsonl"
    data.write_text('{"id": "a", "turns": [{"role": "customer", "text": "在吗"}]}\nnot json\n{"id": "b"}\n',
                    encoding="utf-8")
    assert main(["eval", "run", "--suite", "replay", "--data", str(data), "--out", str(tmp_path / "o"), "--quiet"]) == 0
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert summary["conversations"] == 1 and summary["skipped_lines"] == 2
    capsys.readouterr()
    data.write_text("not json\n", encoding="utf-8")
    assert main(["eval", "run", "--suite", "replay", "--data", str(data), "--out", str(tmp_path / "p")]) == 2
    err = capsys.readouterr().err.strip()
    assert "no conversation with a customer turn" in err and "\n" not in err
    get_settings.cache_clear()
