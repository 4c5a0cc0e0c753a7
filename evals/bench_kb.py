"""Benchmark of the policy knowledge base: retrieval quality, search latency, import speed, freshness.

    .venv/bin/python -m evals.bench_kb                 # everything (about 5 minutes on 2 cores)
    .venv/bin/python -m evals.bench_kb --skip-scale    # recall + freshness only
    .venv/bin/python -m evals.bench_kb --chunks 2000   # a smaller latency store
    .venv/bin/python -m evals.bench_kb --skip-scale --questions evals/data/kb_dev.jsonl  # tuning set

Recall uses evals/data/kb_questions.jsonl (never used for tuning; weights were chosen on
evals/data/kb_dev.jsonl). `evaluate_retrieval(kb, questions)` is the entry point for eval suites.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.evaluation import evaluate_retrieval, load_questions

__all__ = ["QUESTIONS", "evaluate_retrieval", "load_questions", "main"]

DATA = Path(__file__).resolve().parent / "data"
QUESTIONS = DATA / "kb_questions.jsonl"
_TOPICS = [
    "会员日",
    "家电以旧换新",
    "校园专享",
    "企业采购",
    "跨境商品",
    "直播间专享",
    "新人礼包",
    "保价活动",
    "团购",
    "拼单",
    "周末特惠",
    "品牌日",
    "租赁服务",
    "回收服务",
    "延保服务",
    "门店自提",
]
_NOUNS = ["商品", "订单", "优惠", "积分", "配送", "赠品", "权益", "名额", "额度", "奖励", "资格", "补贴"]
_VERBS = ["领取", "使用", "申请", "兑换", "核销", "发放", "退回", "冻结", "延长", "取消"]


def _settings(folder: Path) -> Any:
    from app.settings import Settings

    return Settings(data_dir=folder)


def _filler_doc(i: int, paragraphs: int, rng: random.Random) -> str:
    topic = f"{rng.choice(_TOPICS)}{i}号"
    lines = [
        f"第{p + 1}条：{topic}的{rng.choice(_NOUNS)}需在{rng.randint(1, 90)}天内{rng.choice(_VERBS)}，"
        f"每人限{rng.randint(1, 5)}次，{rng.choice(_NOUNS)}满{rng.randint(10, 999)}元可{rng.choice(_VERBS)}"
        f"{rng.choice(_NOUNS)}。"
        for p in range(paragraphs)
    ]
    body = "\n\n".join(lines)
    return f"---\nid: filler-{i:05d}\ntitle: {topic}活动规则\ncategory: filler\n---\n{body}\n"


def bench_recall(kb: Any, questions: Path = QUESTIONS) -> dict[str, Any]:
    """recall@1/@3 and MRR of the demo store on a question set (default: the held-out benchmark)."""
    result = evaluate_retrieval(kb, load_questions(questions))
    return {k: v for k, v in result.items() if k != "misses"} | {"misses_at_3": len(result["misses"])}


def bench_scale(chunks: int, questions: list[dict[str, Any]]) -> dict[str, Any]:
    """Import synthetic filler policies until the store holds about `chunks` chunks, then time searches."""
    from knowledge import import_path, open_kb

    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "filler"
        src.mkdir()
        per_doc = 40
        n_docs = max(1, chunks // per_doc)
        for i in range(n_docs):
            (src / f"f{i:05d}.md").write_text(_filler_doc(i, per_doc, rng), "utf-8")
        kb = open_kb(_settings(Path(tmp) / "shop"))
        started = time.perf_counter()
        summary = import_path(kb, src, "bench")
        took = time.perf_counter() - started
        total_chunks = kb.stats()["chunks_served"]
        queries = [q["query"] for q in questions]
        kb.search(queries[0])
        times = []
        for query in (queries * 3)[:500]:
            t0 = time.perf_counter()
            kb.search(query, k=3)
            times.append((time.perf_counter() - t0) * 1000)
        return {
            "chunks_served": total_chunks,
            "docs_imported": summary["imported"],
            "import_docs_per_s": round(summary["imported"] / took, 1),
            "import_chunks_per_s": round(summary["imported"] * per_doc / took, 1),
            "search_ms_p50": round(float(np.percentile(times, 50)), 2),
            "search_ms_p99": round(float(np.percentile(times, 99)), 2),
            "searches": len(times),
        }


_WATCHER = """
import sys, time, json
from app.settings import Settings
from knowledge import open_kb
kb = open_kb(Settings(data_dir=sys.argv[1]))
kb.search("warm up the embedder and the index")
print("ready", flush=True)
for line in sys.stdin:
    want = int(line)
    while True:
        hit = kb.search("满多少包邮 运费", k=1)
        if hit and hit[0]["policy_id"] == "shipping-fee" and hit[0]["version"] >= want:
            print(time.time(), flush=True)
            break
        time.sleep(0.005)
"""


def bench_freshness(folder: Path, rounds: int = 5) -> dict[str, Any]:
    """Seconds from a publish here until a search in another process returns the new version."""
    from knowledge import open_kb

    kb = open_kb(_settings(folder))
    child = subprocess.Popen(
        [sys.executable, "-c", _WATCHER, str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin and child.stdout
    child.stdout.readline()
    delays = []
    for r in range(rounds):
        md = kb.get("shipping-fee")["markdown"].replace("version:", "previous_version:")
        md = md.rstrip() + f"\n\n（第{r + 1}次修订）\n"
        version = kb.publish(md, "bench")["version"]
        published = time.time()
        child.stdin.write(f"{version}\n")
        child.stdin.flush()
        delays.append(float(child.stdout.readline()) - published)
    child.stdin.close()
    child.wait(timeout=30)
    return {
        "publish_to_visible_s_median": round(float(np.median(delays)), 3),
        "publish_to_visible_s_max": round(max(delays), 3),
        "rounds": rounds,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print their figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=10_000, help="size of the latency store")
    parser.add_argument("--skip-scale", action="store_true", help="skip the latency/import benchmark")
    parser.add_argument(
        "--questions",
        type=Path,
        default=QUESTIONS,
        help="recall question set (JSONL); tune on evals/data/kb_dev.jsonl, never on the default",
    )
    args = parser.parse_args(argv)
    from knowledge import open_kb

    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        kb = open_kb(_settings(Path(tmp)))
        report["demo_seed_s"] = round(time.perf_counter() - started, 2)
        report["recall"] = bench_recall(kb, args.questions)
        print(json.dumps({"recall": report["recall"]}, ensure_ascii=False), flush=True)
        report["freshness"] = bench_freshness(Path(tmp))
        print(json.dumps({"freshness": report["freshness"]}), flush=True)
    if not args.skip_scale:
        report["scale"] = bench_scale(args.chunks, load_questions(QUESTIONS))
        print(json.dumps({"scale": report["scale"]}), flush=True)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
