"""The report opens in headless Chromium with its charts drawn; compare and gates work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.compare import check_gates, compare, parse_gate
from evals.report import write_run
from evals.suites.base import SuiteResult

DIALOG = SuiteResult(
    "dialog",
    {
        "conversations": 300,
        "fcr": 0.66,
        "handoff_rate": 0.33,
        "p99_ms": 120.0,
        "errors": 0,
        "per_persona": {"angry": {"conversations": 2, "fcr": 0.5}},
    },
    charts={
        "latency_ms": [12.0, 30.5, 45.0, 80.0, 120.0, 33.3],
        "confusion": {"cancel_order": {"cancel_order": 4, "order_status": 1}, "invoice": {"invoice": 2}},
        "per_persona": {
            "angry": {"conversations": 2, "fcr": 0.5},
            "polite": {"conversations": 1, "fcr": 1.0},
        },
        "per_task": {"cancel_unshipped": {"conversations": 3, "fcr": 0.66}},
        "emotions": {"angry": {"detected": [0.6, 0.7, 0.4], "simulated": [0.6, 0.85, 0.5]}},
        "failures": {"invoice: missing write": 2},
    },
    records=[
        {
            "task": {"task_id": "t1", "kind": "invoice", "persona": "angry"},
            "outcome": "gave_up",
            "verdict": {"passed": False, "reasons": ["missing write: invoice on 1"]},
            "turns": [{"message": "开发票</script><b>x</b>", "data": {"reply": "请提供抬头"}}],
        }
    ],
)


def _browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("no /usr/bin/chromium on this machine")
    return playwright


@pytest.mark.browser
def test_report_charts_are_drawn_in_chromium(tmp_path: Path) -> None:
    sync_api = _browser()
    previous = {"conversations": 300, "fcr": 0.9, "handoff_rate": 0.1, "p99_ms": 100.0, "errors": 0}
    deltas = {"dialog": compare(DIALOG.summary, previous)}
    write_run(
        tmp_path, [DIALOG], {"mode": "test", "seed": 1}, deltas, check_gates(DIALOG.summary, ["fcr>=0.85"])
    )
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        )
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto((tmp_path / "report.html").as_uri())
        page.wait_for_selector("body[data-rendered='1']")
        svgs = page.locator("#suite-dialog svg.chart")
        assert svgs.count() >= 6
        counts = page.eval_on_selector_all(
            "#suite-dialog svg.chart", "els => els.map(e => e.querySelectorAll('rect,path,line').length)"
        )
        assert all(c > 0 for c in counts), counts
        assert page.locator("svg.chart path").count() >= 2  # emotion trajectories
        assert page.locator("tr.bad").count() >= 2  # fcr and handoff_rate regressed
        assert page.locator(".fail").first.inner_text().startswith("gate fcr>=0.85")
        assert "</script><b>x</b>" in page.locator("details pre").first.text_content()  # text, not markup
        browser.close()
    assert not errors


def test_summary_keys_at_top_level_for_one_suite(tmp_path: Path) -> None:
    write_run(tmp_path, [DIALOG], {"mode": "test", "seed": 1})
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["fcr"] == 0.66 and summary["per_persona"]["angry"]["fcr"] == 0.5
    assert (tmp_path / "records.jsonl").read_text().count("\n") == 1


@pytest.mark.parametrize(
    "key,before,after,regression",
    [
        ("fcr", 0.9, 0.8, True),
        ("fcr", 0.9, 0.895, False),
        ("p99_ms", 100.0, 150.0, True),
        ("p99_ms", 100.0, 60.0, False),
        ("errors", 0, 1, True),
        ("conversations", 300, 10, False),
        ("per_tier.front.p95_ms", 10.0, 30.0, True),
        ("throughput_turns_per_s", 50.0, 20.0, True),
    ],
)
def test_compare_flags_regressions(key: str, before: float, after: float, regression: bool) -> None:
    def nest(value: float) -> dict:
        out: dict = {}
        node = out
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
        return out

    (delta,) = compare(nest(after), nest(before))
    assert delta.regression is regression


def test_gates() -> None:
    summary = {"fcr": 0.86, "p99_ms": 900.0, "per_tier": {"front": {"p99_ms": 50.0}}}
    results = check_gates(summary, ["fcr>=0.85", "p99_ms<=800", "per_tier.front.p99_ms<100", "missing>=1"])
    assert [r.passed for r in results] == [True, False, True, False]
    with pytest.raises(ValueError):
        parse_gate("fcr is good")


def test_several_suites_nest_by_name(tmp_path: Path) -> None:
    load = SuiteResult("load", {"turns": 10, "p99_ms": 50.0}, {"latency_ms": [1.0, 2.0]})
    write_run(tmp_path, [DIALOG, load], {"mode": "test", "seed": 1})
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["dialog"]["fcr"] == 0.66 and summary["load"]["p99_ms"] == 50.0
    assert check_gates(summary, ["load.p99_ms<=60", "dialog.fcr>=0.85"])[1].passed is False


def test_a_rate_on_few_conversations_needs_a_bigger_move() -> None:
    small = compare({"conversations": 10, "fcr": 0.7}, {"conversations": 10, "fcr": 0.8})
    large = compare({"conversations": 1000, "fcr": 0.7}, {"conversations": 1000, "fcr": 0.8})
    assert not next(d for d in small if d.key == "fcr").regression
    assert next(d for d in large if d.key == "fcr").regression
