"""`load`: N concurrent simulated customers against a real `kefu serve` for a bounded time.

Without --base-url it starts `kefu serve` on a free loopback port over a throw-away shop and
stops it afterwards. Bounded by --seconds, by SuiteOptions.max_requests and by a per-request
timeout; reports throughput and latency percentiles, overall and per tier.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import ssl
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from evals.client import TurnResult, classify_response
from evals.env import open_env
from evals.metrics import latency_summary, per_tier_latency
from evals.server import KefuServer, without_rate_limits
from evals.simulator import UserSimulator
from evals.suites.base import SuiteError, SuiteOptions, SuiteResult, log
from evals.task_catalog import build_tasks
from evals.tasks import Task

DEFAULT_SECONDS = 20.0
REQUEST_TIMEOUT_S = 30.0
WARMUP_MESSAGES = ["你好", "退货运费险能赔多少钱？", "我的快递到哪了", "how long does a refund take?"]


async def _send(http: httpx.AsyncClient, session: str, user: str, message: str) -> TurnResult:
    start = time.perf_counter()
    try:
        response = await http.post("/api/chat", json={"session": session, "user": user, "message": message})
    except httpx.TimeoutException:
        return TurnResult(message, (time.perf_counter() - start) * 1000, error="timeout")
    except httpx.HTTPError as exc:
        return TurnResult(
            message, (time.perf_counter() - start) * 1000, error=f"transport: {type(exc).__name__}"
        )
    latency = (time.perf_counter() - start) * 1000
    data, error = classify_response(response.status_code, response.content)
    return TurnResult(message, latency, response.status_code, data, error)


class _Budget:
    """Shared stop conditions: a deadline and a request cap."""

    def __init__(self, seconds: float, max_requests: int) -> None:
        self.deadline = time.monotonic() + seconds
        self.left = max_requests

    def take(self) -> bool:
        if self.left <= 0 or time.monotonic() >= self.deadline:
            return False
        self.left -= 1
        return True


async def _customer_loop(
    worker: int,
    base_url: str,
    tasks: Iterator[Task],
    budget: _Budget,
    seed: int,
    turns: list[TurnResult],
    nonce: int,
) -> int:
    """One simulated customer after another. Each conversation opens its own keep-alive connection, as a
    shopper's browser does: with one shared pool, every customer stayed pinned to whichever server worker
    accepted the pool's first connections, and the other workers sat idle."""
    conversations = 0
    while time.monotonic() < budget.deadline:
        task = next(tasks)
        sim = UserSimulator(seed=seed * 1009 + worker * 100003 + conversations)
        session = f"load-{nonce}-{worker}-{conversations}"
        message: str | None = sim.reset(task)
        async with _client(base_url) as http:
            while message is not None and budget.take():
                turn = await _send(http, session, task.user_id, message)
                turns.append(turn)
                message = sim.step(turn)
        conversations += 1
    return conversations


_TLS = ssl.create_default_context()  # built once: httpx would build one per client (milliseconds each)


def _client(base_url: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT_S, verify=_TLS,
                             limits=httpx.Limits(max_connections=1))


async def drive(
    base_url: str, tasks: list[Task], opts: SuiteOptions, seconds: float
) -> tuple[list[TurnResult], int, float]:
    """Run the customers; returns (turns, conversations, elapsed seconds)."""
    async with _client(base_url) as http:
        for i, text in enumerate(WARMUP_MESSAGES):  # models load on first use; keep that out of the figures
            await _send(http, f"load-warmup-{i}", tasks[0].user_id, text)
    budget = _Budget(seconds, opts.max_requests)
    cycle = itertools.cycle(tasks)
    turns: list[TurnResult] = []
    nonce = int(time.time())
    start = time.perf_counter()
    jobs = [_customer_loop(w, base_url, cycle, budget, opts.seed, turns, nonce) for w in range(opts.concurrency)]
    done = await asyncio.wait_for(asyncio.gather(*jobs), timeout=seconds + REQUEST_TIMEOUT_S + 5)
    return turns, sum(done), time.perf_counter() - start


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def run_load(opts: SuiteOptions, log_dir: Path) -> SuiteResult:
    """The load suite (see module docstring). A --base-url must be a loopback address."""
    if opts.base_url and httpx.URL(opts.base_url).host not in LOOPBACK:
        raise SuiteError(f"the load suite only targets loopback servers, not {opts.base_url}")
    seconds = opts.seconds or DEFAULT_SECONDS
    env = open_env(opts.settings, opts.base_url, opts.source_data_dir, opts.in_place)
    try:
        probe = env.probe()
        orders = probe.orders() if probe is not None else []
        tasks = (
            build_tasks(orders, 200, opts.seed, users=probe.user_ids() if probe else None)
            if orders
            else [
                Task(
                    task_id="t1",
                    kind="policy_question",
                    goal="free_shipping",
                    user_id="demo",
                    persona="polite",
                    facts=[["99"]],
                )
            ]
        )
        with contextlib.ExitStack() as stack:
            base_url = opts.base_url
            if base_url is None:
                server = stack.enter_context(
                    KefuServer(without_rate_limits(env.settings), log_dir / "kefu-serve.log",
                               workers=opts.server_workers))
                base_url = server.base_url
            log.info("load: %d customers for %.0fs against %s", opts.concurrency, seconds, base_url)
            turns, conversations, elapsed = asyncio.run(drive(base_url, tasks, opts, seconds))
    finally:
        env.close()
    return load_result(turns, conversations, elapsed, opts)


def load_result(
    turns: list[TurnResult], conversations: int, elapsed: float, opts: SuiteOptions
) -> SuiteResult:
    """Summary (throughput, latency percentiles overall and per tier) of a load run."""
    ok = [t for t in turns if t.ok]
    errors = len(turns) - len(ok)
    summary: dict[str, Any] = {
        "turns": len(turns),
        "conversations": conversations,
        "seconds": round(elapsed, 2),
        "concurrency": opts.concurrency,
        "throughput_turns_per_s": round(len(turns) / elapsed, 3) if elapsed > 0 else 0.0,
        **latency_summary(turns),
        "errors": errors,
        "error_rate": round(errors / len(turns), 4) if turns else 0.0,
        "per_tier": per_tier_latency(turns),
    }
    charts = {"latency_ms": [round(t.latency_ms, 2) for t in turns], "per_tier": summary["per_tier"]}
    records = [
        {"message": t.message, "latency_ms": round(t.latency_ms, 2), "tier": t.tier, "error": t.error}
        for t in turns
    ]
    return SuiteResult("load", summary, charts, records)
