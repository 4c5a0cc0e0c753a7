"""Hammer the limits of a real `kefu serve` (issue 16): oversized bodies, a lockout attempt with Unicode
spellings of the login, 1,000 turns from one shopper, and 60 long turns in one session. Prints the 413 /
429 counts, the server's memory (RSS) and the data dir's disk growth, as one JSON object.

    .venv/bin/python -m evals.bench_limits                      # all four phases (about 2 minutes)
    .venv/bin/python -m evals.bench_limits --phases long --long-turns 60

Each phase starts its own server on a fresh temporary shop, on 127.0.0.1 only. The long-session phase
switches the rate limits off (60 turns in a minute would be refused otherwise) to measure disk growth
alone; the other phases run with the default limits. Run it from another checkout's folder to measure
that checkout's server (the server is `python -m app serve` in the current folder).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.settings import Settings
from evals.server import KefuServer, without_rate_limits

MIB = 1024 * 1024
VARIANTS = ["victim", "ｖictim", "ｖｉｃｔｉｍ", " victim", "victim ", "ｖｉｃｔｉｍ "]
"""The login as typed: ASCII, partly and fully full-width, padded: all normalise to `victim`."""
VICTIM_PASSWORD = "victim-password-1"


def rss_mib(pid: int) -> float | None:
    """Resident memory of a process and its children (Linux /proc), in MiB."""
    pids, total = [pid, *_children(pid)], 0
    for p in pids:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return round(total / 1024, 1) if total else None


def _children(pid: int) -> list[int]:
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    out = [int(k) for k in kids]
    return out + [g for k in out for g in _children(k)]


def disk_bytes(data_dir: Path) -> int:
    """Bytes of the SQLite files (with their WAL) of a data dir: conversation state, transcripts, tickets."""
    return sum(p.stat().st_size for p in data_dir.glob("*.db*") if p.is_file())


def _request(port: int, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None,
             declared: int | None = None) -> tuple[int, bytes]:
    """(status, response body); `declared` sends that Content-Length but only `body` (the server must not wait)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.putrequest(method, path)
        for key, value in {"Content-Type": "application/json", **(headers or {})}.items():
            conn.putheader(key, value)
        conn.putheader("Content-Length", str(len(body) if declared is None else declared))
        conn.endheaders()
        with contextlib.suppress(OSError):  # the server answered and closed before the whole body went out
            conn.send(body)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _post_json(port: int, path: str, payload: dict[str, Any]) -> tuple[int, bytes]:
    return _request(port, "POST", path, json.dumps(payload, ensure_ascii=False).encode())


def phase_bodies(port: int, pid: int) -> dict[str, Any]:
    """Bodies of 100 KiB to 180 MiB (declared), a 1 MiB real one, and a near-limit invalid one (422 size)."""
    before, statuses, biggest = rss_mib(pid), Counter[int](), 0
    for declared in (100 * 1024, MIB, 10 * MIB, 180 * MIB, 180 * MIB):
        status, answer = _request(port, "POST", "/api/chat", b"{" + b"x" * 65536, declared=declared)
        statuses[status] += 1
        biggest = max(biggest, len(answer))
    status, answer = _request(port, "POST", "/api/chat", b"[" + b"1," * (MIB // 2) + b"1]")
    statuses[status] += 1
    size = len(answer)
    invalid = {"session": ["秘" * 20_000], "user": "demo", "message": "hi"}
    status_422, answer_422 = _post_json(port, "/api/chat", invalid)
    size_422 = len(answer_422)
    sent = len(json.dumps(invalid, ensure_ascii=False).encode())
    return {"requests": 6, "413": statuses[413], "statuses": dict(statuses),
            "largest_refusal_bytes": max(biggest, size), "invalid_status": status_422,
            "invalid_request_bytes": sent, "invalid_response_bytes": size_422,
            "rss_before_mib": before, "rss_after_mib": rss_mib(pid)}


def phase_lockout(port: int) -> dict[str, Any]:
    """5 wrong passwords for `victim`, then the right password under each spelling; then 40 wrong passwords
    for random logins from the same address, then the demo agent's right password."""
    statuses: Counter[int] = Counter()
    for _ in range(5):
        statuses[_post_json(port, "/api/auth/login", {"login": "victim", "password": "guess"})[0]] += 1
    logged_in = 0
    for spelling in VARIANTS:
        status, _ = _post_json(port, "/api/auth/login", {"login": spelling, "password": VICTIM_PASSWORD})
        statuses[status] += 1
        logged_in += status == 200
    for i in range(40):
        statuses[_post_json(port, "/api/auth/login", {"login": f"guess{i}", "password": "guess"})[0]] += 1
    agent_status, _ = _post_json(port, "/api/auth/login", {"login": "agent", "password": "agent-demo"})
    return {"attempts": 52, "victim_logins_while_locked": logged_in, "401": statuses[401], "429": statuses[429],
            "right_password_after_address_limit": agent_status}


def phase_one_shopper(port: int, pid: int, turns: int) -> dict[str, Any]:
    """`turns` turns as fast as possible from one shopper, in ten sessions."""
    before, statuses, started = rss_mib(pid), Counter[int](), time.perf_counter()
    reasons: Counter[str] = Counter()
    for i in range(turns):
        payload = {"session": f"hammer-{i % 10}", "user": "demo", "message": "我的订单到哪了"}
        status, answer = _post_json(port, "/api/chat", payload)
        statuses[status] += 1
        if status == 429:  # "too many messages: ..." or "too many requests for a human agent: ..."
            reasons[json.loads(answer)["detail"].split(":")[0]] += 1
    return {"turns": turns, "200": statuses[200], "429": statuses[429], "429_by_reason": dict(reasons),
            "other": turns - statuses[200] - statuses[429], "seconds": round(time.perf_counter() - started, 1),
            "rss_before_mib": before, "rss_after_mib": rss_mib(pid)}


def phase_long_session(port: int, pid: int, data_dir: Path, turns: int) -> dict[str, Any]:
    """`turns` turns of 2,000 characters in one session; disk growth of the data dir's databases."""
    before_disk, before_rss, growth = disk_bytes(data_dir), rss_mib(pid), []
    statuses: Counter[int] = Counter()
    for i in range(turns):
        text = f"第{i}次：" + ("我想问一下退货运费到底谁出，" * 200)[:1990]
        statuses[_post_json(port, "/api/chat", {"session": "long", "user": "demo", "message": text})[0]] += 1
        growth.append(disk_bytes(data_dir))
    per_turn = [b - a for a, b in zip([before_disk, *growth], growth, strict=False)]
    tail = per_turn[-10:]
    return {"turns": turns, "200": statuses[200], "disk_growth_mb": round((growth[-1] - before_disk) / 1e6, 2),
            "last_10_turns_kb_per_turn": round(sum(tail) / len(tail) / 1e3, 1),
            "first_10_turns_kb_per_turn": round(sum(per_turn[:10]) / 10 / 1e3, 1),
            "rss_before_mib": before_rss, "rss_after_mib": rss_mib(pid)}


def _server(settings: Settings, log: Path, work: Callable[[KefuServer], dict[str, Any]]) -> dict[str, Any]:
    with KefuServer(settings, log) as server:
        assert server.proc is not None
        return work(server)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phases", default="bodies,lockout,shopper,long", help="comma-separated phases")
    parser.add_argument("--turns", type=int, default=1000, help="turns of the one-shopper phase")
    parser.add_argument("--long-turns", type=int, default=60, help="turns of the long-session phase")
    args = parser.parse_args(argv)
    phases = {p.strip() for p in args.phases.split(",")}
    root, out = Path(tempfile.mkdtemp(prefix="kefu-bench-limits-")), {}

    def shop(name: str) -> Settings:
        return Settings(data_dir=root / name, demo_users=20, demo_orders=200)

    if "bodies" in phases or "lockout" in phases or "shopper" in phases:
        settings = shop("limits")
        from app.auth import AuthStore  # the victim exists before the server starts

        AuthStore(settings).create_account("victim", VICTIM_PASSWORD, ["agent"])

        def hammer(server: KefuServer) -> dict[str, Any]:
            pid, result = server.proc.pid, {}  # type: ignore[union-attr]
            if "bodies" in phases:
                result["bodies"] = phase_bodies(server.port, pid)
            if "lockout" in phases:
                result["lockout"] = phase_lockout(server.port)
            if "shopper" in phases:
                result["one_shopper"] = phase_one_shopper(server.port, pid, args.turns)
            return result

        out.update(_server(settings, root / "limits.log", hammer))
    if "long" in phases:
        settings = without_rate_limits(shop("long"))
        out["long_session"] = _server(settings, root / "long.log", lambda s: phase_long_session(
            s.port, s.proc.pid, settings.data_dir, args.long_turns))  # type: ignore[union-attr]
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return out


if __name__ == "__main__":
    main()
