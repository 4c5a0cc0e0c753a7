"""Server capacity on a fixed read-heavy mix (tracking, order status, FAQ, greetings), with a thin client,
for each deployment shape in one run:

- `sqlite`: one `kefu serve` on the embedded default (SQLite files and a Chroma folder in its data dir);
- `pg-1`: one node on Postgres (KEFU_DATABASE_URL) and a Chroma server (KEFU_CHROMA_URL);
- `pg-2`: two nodes on the same Postgres and Chroma server, each request sent to the next node in turn
  (a load balancer without stickiness: every conversation hops nodes, through the session lock).

The `load` suite drives simulated customers (writes, confirmations, verdict bookkeeping); this benchmark
isolates what the servers themselves sustain. Loopback only, bounded in time. Postgres is a throwaway
cluster (Debian's initdb/pg_ctl; fsync off) unless --database-url names one (a fresh database is made per
shape there too); the Chroma server is a throwaway `chroma run`.

    .venv/bin/python -m evals.bench_serve --concurrency 4 --seconds 20
    .venv/bin/python -m evals.bench_serve --shapes sqlite --workers 2
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from app.settings import Settings
from evals.backends import ChromaServer, ThrowawayPostgres, pg_bin
from evals.server import KefuServer, without_rate_limits

MIX = ["订单368867462071到哪了", "你好", "退货运费谁出", "帮我查下订单366314012148", "what's your return policy",
       "谢谢", "我的退款到哪了 订单340083534553", "拆封了还能七天无理由吗"]
SHAPES = {"sqlite": 1, "pg-1": 1, "pg-2": 2}
"""Each shape and its number of nodes."""


def _customer(ports: list[int], worker: int, stop: float, latencies: list[float], lock: threading.Lock) -> None:
    """Conversations of 4 messages; each request goes to the next node in turn, over a keep-alive connection
    per node that is renewed with each conversation (one per shopper's browser)."""
    conns: dict[int, http.client.HTTPConnection] = {}
    sent = 0
    while time.monotonic() < stop:
        if sent % 4 == 0:
            for conn in conns.values():
                conn.close()
            conns = {p: http.client.HTTPConnection("127.0.0.1", p, timeout=60) for p in ports}
        port = ports[(worker + sent) % len(ports)]
        body = json.dumps({"session": f"bench-{worker}-{sent // 4}", "user": "demo", "message": MIX[sent % len(MIX)]})
        started = time.perf_counter()
        conns[port].request("POST", "/api/chat", body, {"Content-Type": "application/json"})
        conns[port].getresponse().read()
        with lock:
            latencies.append((time.perf_counter() - started) * 1000)
        sent += 1
    for conn in conns.values():
        conn.close()


def drive(ports: list[int], concurrency: int, seconds: float) -> dict[str, float]:
    """`concurrency` thin clients for `seconds` against the nodes at `ports`: turns/s, p50, p99."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    threads = [threading.Thread(target=_customer, args=(ports, w, stop, latencies, lock)) for w in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {"turns": len(latencies), "throughput_turns_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies), 1), "p99_ms": round(latencies[int(len(latencies) * 0.99)], 1)}


def _start_nodes(stack: ExitStack, settings: list[Settings], workers: int) -> list[KefuServer]:
    """Starts the nodes together (as a deployment would) and waits until each answers /healthz."""
    servers = [KefuServer(s, s.data_dir / "serve.log", workers=workers) for s in settings]
    errors: list[BaseException] = []

    def start(server: KefuServer) -> None:
        try:
            stack.enter_context(server)
        except BaseException as exc:  # noqa: BLE001 - reported below, after every node has had its chance
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(server,)) for server in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return servers


def run_shape(shape: str, root: Path, args: argparse.Namespace, postgres: Any) -> dict[str, Any]:
    """Starts the shape's servers, warms them, measures, stops them."""
    nodes = SHAPES[shape]
    with ExitStack() as stack:
        extra: dict[str, Any] = {}
        if shape != "sqlite":
            chroma = stack.enter_context(ChromaServer(root / shape / "chroma"))
            extra = {"database_url": postgres.database(shape.replace("-", "_")), "chroma_url": chroma.url,
                     "db_pool_size": args.pool_size}
        # one shopper talking a lot from one address: the rate limits would answer it with 429s
        settings = [without_rate_limits(Settings(data_dir=root / shape / f"node-{n}", **extra)) for n in range(nodes)]
        servers = _start_nodes(stack, settings, args.workers)
        ports = [server.port for server in servers]
        drive(ports, args.concurrency, min(5.0, args.seconds))  # warm-up: caches, pools, first-use paths
        result = drive(ports, args.concurrency, args.seconds)
        rss = [_rss_mb(server.proc.pid) for server in servers if server.proc is not None]
    return {"shape": shape, "nodes": nodes, "workers_per_node": args.workers, "concurrency": args.concurrency,
            **result, "rss_mb_per_node": round(max(rss), 1) if rss else None}


def _rss_mb(pid: int) -> float:
    """Resident memory of a process (its main process: a node with one worker serves in it)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default=",".join(SHAPES), help=f"comma-separated, from {', '.join(SHAPES)}")
    parser.add_argument("--workers", type=int, default=1, help="kefu serve worker processes per node")
    parser.add_argument("--concurrency", type=int, default=4, help="concurrent thin clients")
    parser.add_argument("--seconds", type=float, default=15.0, help="measured seconds per shape (max 300)")
    parser.add_argument("--pool-size", type=int, default=10, help="Postgres connections per pool and process")
    parser.add_argument("--database-url", default=None, help="a Postgres server to use (default: a throwaway one)")
    args = parser.parse_args(argv)
    args.seconds = min(max(args.seconds, 1.0), 300.0)
    shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown:
        parser.error(f"unknown shape(s): {', '.join(unknown)}")
    root = Path(tempfile.mkdtemp(prefix="kefu-bench-serve-"))
    results = []
    with ExitStack() as stack:
        postgres = None
        if any(s != "sqlite" for s in shapes):
            if args.database_url:
                postgres = _NamedDatabases(args.database_url)
            elif pg_bin() is None:
                parser.error("the Postgres shapes need --database-url or Debian's postgresql package")
            else:
                postgres = ThrowawayPostgres()
                stack.callback(postgres.close)
        for shape in shapes:
            results.append(run_shape(shape, root, args, postgres))
            print(json.dumps(results[-1]))
    return results


class _NamedDatabases:
    """A fresh database per shape on a Postgres given by URL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.count = 0

    def database(self, prefix: str) -> str:
        import psycopg

        self.count += 1
        name = f"kefu_bench_{prefix}_{int(time.time())}_{self.count}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url.rsplit("/", 1)[0] + "/" + name


if __name__ == "__main__":
    main()
