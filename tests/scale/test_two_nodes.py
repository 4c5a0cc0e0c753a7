"""Two kefu nodes with separate empty data dirs, one Postgres, one Chroma server and the shop's order API
(`kefu shop serve`) behave as one service. Real processes throughout (fixtures in conftest.py)."""

from __future__ import annotations

import contextlib
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import psycopg

from app.settings import Settings
from app.store import ensure_demo_store


def _state(cluster, session: str) -> dict:
    """The saved conversation as the chat API shows it (messages and handoff), read through node b."""
    response = httpx.get(f"{cluster.nodes['b'].url}/api/chat/{session}/messages", params={"user": "demo"}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_write_proposed_on_one_node_is_confirmed_on_the_other(cluster) -> None:
    order_id = cluster.cases["paid"]
    proposed = cluster.nodes["a"].turn("two-nodes-1", f"帮我取消订单{order_id}")
    assert proposed["actions"][-1]["status"] == "proposed"
    done = cluster.nodes["b"].turn("two-nodes-1", "确认")
    assert done["actions"][-1]["status"] == "done", done["reply"]
    assert done["state"]["turn"] == 2
    order = cluster.shop.order(order_id)  # read back from Postgres, where kefu shop serve keeps the demo store
    assert order["status"] == "cancelled" and len(order["refunds"]) == 1


def test_one_sessions_turns_never_run_at_once_on_two_nodes(cluster) -> None:
    shipped = cluster.cases["shipped"]
    cluster.proxy.stall_s, cluster.proxy.methods, cluster.proxy.mode = 0.4, {"GET"}, "stall_before"
    messages = [f"第{i}次问订单{shipped}到哪了" for i in range(6)]
    try:
        with ThreadPoolExecutor(6) as pool:
            replies = list(pool.map(lambda i: cluster.nodes["ab"[i % 2]].chat("two-nodes-2", messages[i]), range(6)))
    finally:
        cluster.proxy.mode, cluster.proxy.stall_s = "pass", 4.0
    assert [r.status_code for r in replies] == [200] * 6
    saved = _state(cluster, "two-nodes-2")
    said = [m["content"] for m in saved["messages"] if m["role"] == "user"]
    assert sorted(said) == sorted(messages), "a turn was lost: two nodes ran the session at once"
    assert sorted(r.json()["state"]["turn"] for r in replies) == [1, 2, 3, 4, 5, 6]


def test_an_agent_on_one_node_sees_and_takes_a_ticket_opened_on_the_other(cluster) -> None:
    a, b = cluster.nodes["a"], cluster.nodes["b"]
    login = httpx.post(b.url + "/api/auth/login", json={"login": "agent", "password": "agent-demo"}, timeout=30)
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    assert httpx.post(b.url + "/api/console/heartbeat", headers=headers, timeout=30).status_code == 200
    opened = a.turn("two-nodes-3", "我要转人工客服")
    assert opened["handoff"]["active"] is True
    queue = httpx.get(b.url + "/api/console/queue", headers=headers, timeout=30).json()
    ticket = next(t for t in queue["queue"] if t["session_id"] == "two-nodes-3")
    taken = httpx.post(f"{b.url}/api/console/tickets/{ticket['ticket_id']}/take", headers=headers, timeout=30)
    assert taken.status_code == 200 and taken.json()["status"] == "active"
    sent = httpx.post(f"{b.url}/api/console/tickets/{ticket['ticket_id']}/message", headers=headers,
                      json={"text": "您好，我是人工客服小王"}, timeout=30)
    assert sent.status_code == 200
    seen_on_a = httpx.get(f"{a.url}/api/chat/two-nodes-3/messages", params={"user": "demo"}, timeout=30).json()
    assert any(m["role"] == "agent" and "小王" in m["content"] for m in seen_on_a["messages"])
    again = httpx.post(f"{a.url}/api/console/tickets/{ticket['ticket_id']}/take", timeout=30)
    assert again.status_code in (401, 403)  # node a's console needs a login too; the ticket stays node b's agent's


def _editor(node) -> dict[str, str]:
    login = httpx.post(node.url + "/api/auth/login", json={"login": "editor", "password": "editor-demo"}, timeout=30)
    return {"Authorization": f"Bearer {login.json()['token']}"}


def _served_within(node, headers: dict[str, str], query: str, policy_id: str, version: int, seconds: float) -> float:
    """How long until `node` serves `version` of `policy_id` for `query` (fails after `seconds`)."""
    started = time.monotonic()
    while True:
        found = httpx.get(node.url + "/api/policies/_search", params={"q": query, "k": 5}, headers=headers,
                          timeout=30).json()
        if any(r["policy_id"] == policy_id and r["version"] == version for r in found):
            return time.monotonic() - started
        assert time.monotonic() - started < seconds, f"{node.name} still serves {found[:2]}"
        time.sleep(0.05)


def test_a_policy_published_on_one_node_is_served_by_every_node_at_once(cluster) -> None:
    a, b = cluster.nodes["a"], cluster.nodes["b"]
    before = b.turn("two-nodes-policy", "退货的运费谁来出")
    cited = before["citations"][0]
    editor_a, editor_b = _editor(a), _editor(b)
    markdown = httpx.get(f"{a.url}/api/policies/{cited['policy_id']}", headers=editor_a, timeout=30).json()["markdown"]
    markdown = "\n".join(line for line in markdown.splitlines() if not line.startswith("version:"))
    published = httpx.post(a.url + "/api/policies", headers=editor_a, timeout=60,
                           json={"markdown": markdown + "\n\n集群测试补充：节点同步生效。"}).json()
    assert published["version"] == cited["version"] + 1
    assert _served_within(b, editor_b, "退货的运费谁来出", cited["policy_id"], published["version"], 1.0) < 1.0
    after = b.turn("two-nodes-policy-2", "退货的运费谁来出")  # b's answer cache held the old answer
    assert {c["policy_id"]: c["version"] for c in after["citations"]}[cited["policy_id"]] == published["version"]


def test_a_kb_import_is_served_by_every_node_at_once(cluster, tmp_path) -> None:
    import subprocess

    from realservers import REPO, kefu_command

    policy = tmp_path / "cluster-owl.md"
    policy.write_text("---\nid: cluster-owl\ntitle: 猫头鹰玩偶保修\ncategory: after_sale\nlocale: zh-CN\n---\n"
                      "猫头鹰玩偶享受九十天保修，保修期内免费维修。\n", encoding="utf-8")
    env = cluster.node_env(tmp_path / "cli")
    done = subprocess.run(kefu_command("kb", "import", str(policy)), cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    for node in cluster.nodes.values():
        assert _served_within(node, _editor(node), "猫头鹰玩偶保修多久", "cluster-owl", 1, 1.0) < 1.0


def test_the_database_lost_mid_turn_saves_nothing_and_the_customer_is_told(cluster) -> None:
    a, b = cluster.nodes["a"], cluster.nodes["b"]
    before = a.turn("two-nodes-4", "你好")
    cluster.proxy.stall_s, cluster.proxy.methods, cluster.proxy.mode = 3.0, {"GET"}, "stall_before"
    result: dict = {}
    worker = threading.Thread(target=lambda: result.update(r=a.chat("two-nodes-4", f"订单{cluster.cases['shipped']}到哪了")))
    worker.start()
    time.sleep(1.0)  # the turn is running: its session lock is held, its shop read is stalled
    cluster.postgres.stop("immediate")
    try:
        worker.join(timeout=60)
    finally:
        cluster.proxy.mode = "pass"
        cluster.postgres.start()
        _wait_until_the_shop_answers(cluster)
    lost = result["r"]
    assert lost.status_code == 503
    assert "暂时无法保存" in lost.json()["reply"]
    after = b.turn("two-nodes-4", "谢谢")
    assert after["state"]["turn"] == before["state"]["turn"] + 1, "the lost turn left part of itself behind"
    said = [m["content"] for m in _state(cluster, "two-nodes-4")["messages"] if m["role"] == "user"]
    assert said == ["你好", "谢谢"]


def test_killing_a_node_mid_turn_loses_nothing(cluster) -> None:
    a, b = cluster.nodes["a"], cluster.nodes["b"]
    order_id = cluster.cases["pending_payment"]
    proposed = a.turn("two-nodes-5", f"帮我取消订单{order_id}")
    assert proposed["actions"][-1]["status"] == "proposed", proposed["actions"][-1].get("reason_code")
    cluster.proxy.stall_s, cluster.proxy.methods, cluster.proxy.mode = 30.0, {"GET"}, "stall_before"
    worker = threading.Thread(target=lambda: _swallow(lambda: a.chat("two-nodes-5", "我的订单到哪了", timeout=40)))
    worker.start()
    time.sleep(1.5)  # node a holds the session's lock and is waiting on the shop
    a.proc.kill()
    cluster.proxy.mode = "pass"
    started = time.monotonic()
    done = b.turn("two-nodes-5", "确认")
    assert time.monotonic() - started < 20, "the dead node's lock was not released"
    assert done["actions"][-1]["status"] == "done" and done["state"]["turn"] == 2
    assert cluster.shop.order(order_id)["status"] == "cancelled"
    worker.join(timeout=60)


def test_database_down_at_start_up_is_one_line_and_exit_2(cluster, tmp_path) -> None:
    import subprocess

    from realservers import REPO, free_port, kefu_command, kefu_env

    env = kefu_env(data_dir=tmp_path, database_url=f"postgresql://kefu@127.0.0.1:{free_port()}/nothing")
    for args in (("serve", "--port", str(free_port())), ("db", "upgrade")):
        proc = subprocess.run(kefu_command(*args), cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
                              check=False)
        assert proc.returncode == 2, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "database unavailable" in lines[0] and "Traceback" not in proc.stderr


def test_kefu_db_upgrade_is_idempotent_on_postgres(cluster, tmp_path) -> None:
    import json
    import subprocess

    from realservers import REPO, kefu_command, kefu_env

    database_url = cluster.postgres.database("upgrade")
    env = kefu_env(data_dir=tmp_path, database_url=database_url)
    runs = [subprocess.run(kefu_command("db", "upgrade"), cwd=REPO, env=env, capture_output=True, text=True,
                           timeout=120, check=False) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[-1].stderr
    first, second = (json.loads(r.stdout)["parts"] for r in runs)
    assert first["shop"]["from"] is None and first["shop"]["to"] == second["shop"]["from"] == second["shop"]["to"]
    with psycopg.connect(database_url) as conn:
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname='public'")}
    assert {"orders", "tickets", "accounts", "ratings", "checkpoints", "idempotency_keys"} <= tables
    store = ensure_demo_store(Settings(data_dir=tmp_path, database_url=database_url, demo_users=3, demo_orders=10))
    assert store.demo_cases()


def _wait_until_the_shop_answers(cluster, timeout_s: float = 60.0) -> None:
    """After a database restart, the order API's pool reconnects with a backoff of a few seconds."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(cluster.shop_url + "/v1/users/demo/orders", params={"limit": 1}, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError("the order API did not recover after the database restart")


def _swallow(call) -> None:
    with contextlib.suppress(httpx.HTTPError):
        call()
