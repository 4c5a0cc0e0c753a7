"""Write a run's outputs: summary.json, records.jsonl and a self-contained report.html
(charts drawn as inline SVG by inline JavaScript; no network, no CDN)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evals.compare import Delta, GateResult
from evals.suites.base import SuiteResult

TEMPLATE = Path(__file__).resolve().parent / "templates" / "report.html"
FAILED_SAMPLES = 25


def summary_json(results: list[SuiteResult]) -> dict[str, Any]:
    """One suite: its metrics at top level. Several: nested by suite name."""
    if len(results) == 1:
        return dict(results[0].summary)
    return {r.suite: dict(r.summary) for r in results}


def failed_samples(result: SuiteResult) -> list[dict[str, Any]]:
    """The first failed conversations, shown as transcripts in the report."""
    failed = [
        r for r in result.records if isinstance(r.get("verdict"), dict) and not r["verdict"].get("passed")
    ]
    return failed[:FAILED_SAMPLES]


def render_html(
    results: list[SuiteResult], meta: dict[str, Any], compare: dict[str, list[Delta]], gates: list[GateResult]
) -> str:
    """The report page with its data embedded as JSON."""
    data = {
        "created": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        **meta,
        "gates": [g.to_json() for g in gates],
        "suites": {
            r.suite: {
                "summary": r.summary,
                "charts": r.charts,
                "notes": r.notes,
                "compare": [d.to_json() for d in compare.get(r.suite, [])],
                "failed_samples": failed_samples(r),
            }
            for r in results
        },
    }
    blob = json.dumps(data, ensure_ascii=False, default=str).replace("<", "\\u003c")
    return TEMPLATE.read_text(encoding="utf-8").replace("__REPORT_DATA__", blob)


def write_run(
    out_dir: Path,
    results: list[SuiteResult],
    meta: dict[str, Any],
    compare: dict[str, list[Delta]] | None = None,
    gates: list[GateResult] | None = None,
) -> dict[str, Any]:
    """Write summary.json, records.jsonl (one record a line) and report.html; returns the summary."""
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = summary_json(results)
    (out_dir / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    with open(out_dir / "records.jsonl", "w", encoding="utf-8") as fh:
        for result in results:
            fh.writelines(
                json.dumps({"suite": result.suite, **record}, ensure_ascii=False, default=str) + "\n"
                for record in result.records
            )
    html = render_html(results, meta, compare or {}, gates or [])
    (out_dir / "report.html").write_text(html, encoding="utf-8")
    return summary
