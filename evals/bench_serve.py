"""Server capacity on a fixed read-heavy mix (tracking, order status, FAQ, greetings), with a thin client.

The `load` suite drives simulated customers (writes, confirmations, verdict bookkeeping); this benchmark
isolates what `kefu serve` itself sustains. Loopback only, bounded in time.

    .venv/bin/python -m evals.bench_serve --workers 2 --concurrency 4 --seconds 15
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path

from app.settings import Settings
from evals.server import KefuServer, without_rate_limits

MIX = ["订单368867462071到哪了", "你好", "退货运费谁出", "帮我查下订单366314012148", "what's your return policy",
       "谢谢", "我的退款到哪了 订单340083534553", "拆封了还能七天无理由吗"]


def _customer(port: int, worker: int, stop: float, latencies: list[float], lock: threading.Lock) -> None:
    """Conversations of 4 messages, each on its own keep-alive connection (one per shopper's browser), so
    connections spread over the server's workers instead of staying on whichever accepted them first."""
    conn, sent = http.client.HTTPConnection("127.0.0.1", port, timeout=30), 0
    while time.monotonic() < stop:
        if sent and sent % 4 == 0:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        body = json.dumps({"session": f"bench-{worker}-{sent // 4}", "user": "demo", "message": MIX[sent % len(MIX)]})
        started = time.perf_counter()
        conn.request("POST", "/api/chat", body, {"Content-Type": "application/json"})
        conn.getresponse().read()
        with lock:
            latencies.append((time.perf_counter() - started) * 1000)
        sent += 1
    conn.close()


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="kefu serve worker processes")
    parser.add_argument("--concurrency", type=int, default=4, help="concurrent thin clients")
    parser.add_argument("--seconds", type=float, default=15.0, help="measured seconds (max 300)")
    args = parser.parse_args(argv)
    seconds = min(max(args.seconds, 1.0), 300.0)
    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="kefu-bench-serve-")))
    latencies: list[float] = []
    lock = threading.Lock()
    with KefuServer(without_rate_limits(settings), settings.data_dir / "serve.log", workers=args.workers) as server:
        port = int(server.base_url.rsplit(":", 1)[1])
        stop = time.monotonic() + seconds
        threads = [threading.Thread(target=_customer, args=(port, w, stop, latencies, lock))
                   for w in range(args.concurrency)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    latencies.sort()
    result = {"turns": len(latencies), "throughput_turns_per_s": round(len(latencies) / elapsed, 1),
              "p50_ms": round(statistics.median(latencies), 1),
              "p99_ms": round(latencies[int(len(latencies) * 0.99)], 1)}
    print(json.dumps({"workers": args.workers, "concurrency": args.concurrency, **result}))
    return result


if __name__ == "__main__":
    main()
