"""The rule-based customer against handmade kefu answers (JSON of interfaces.md "Conversation")."""

from __future__ import annotations

from evals.client import TurnResult, classify_response
from evals.conversation import run_conversation
from evals.simulator import UserSimulator
from evals.tasks import ExpectedWrite, Task
from evals.verdict import WriteRecord


def answer(reply: str, intent: str = "other", actions=None, handoff=False, **state) -> dict:
    return {
        "reply": reply,
        "intent": intent,
        "emotion": {"label": "neutral", "intensity": 0.1},
        "state": {"slots": {}, "active_intent": intent, "unresolved_turns": 0, **state},
        "citations": [],
        "actions": actions or [],
        "handoff": {"active": handoff, "reason": None},
        "tier": "front",
    }


def turn(message: str, data: dict) -> TurnResult:
    return TurnResult(message=message, latency_ms=5.0, status_code=200, data=data)


def cancel_task(persona: str = "polite") -> Task:
    return Task(
        task_id="t1",
        kind="cancel_unshipped",
        goal="cancel_order",
        user_id="u1",
        persona=persona,
        intent="cancel_order",
        order_id="313021098954",
        expect_writes=[ExpectedWrite("cancel", "313021098954", "cancelled")],
    )


def test_reset_is_deterministic_for_a_seed() -> None:
    first = [
        UserSimulator(seed=7).reset(cancel_task(p))
        for p in ("polite", "angry", "bilingual", "elderly_verbose")
    ]
    again = [
        UserSimulator(seed=7).reset(cancel_task(p))
        for p in ("polite", "angry", "bilingual", "elderly_verbose")
    ]
    assert first == again
    assert all(m.strip() for m in first)


def test_supplies_order_id_then_confirms_then_stops() -> None:
    sim = UserSimulator(seed=1)
    sim.reset(cancel_task())
    ask = sim.step(turn("x", answer("请问是哪个订单？请提供订单号", missing_slot="order_id")))
    assert ask is not None and "313021098954" in ask
    proposal = {
        "name": "cancel_order",
        "args": {"order_id": "313021098954"},
        "status": "proposed",
        "result": {},
    }
    confirm = sim.step(turn("x", answer("确认取消订单313021098954吗？", actions=[proposal])))
    assert confirm is not None and ("确认" in confirm or "confirm" in confirm.lower())
    done = dict(proposal, status="done")
    assert sim.step(turn("x", answer("已取消", actions=[done]))) is None
    assert sim.outcome == "resolved"


def test_picks_the_right_order_among_choices() -> None:
    sim = UserSimulator(seed=3)
    sim.reset(cancel_task())
    choices = [{"order_id": "111111111111"}, {"order_id": "313021098954"}]
    reply = sim.step(turn("x", answer("您最近有两个订单，请选择", choices=choices)))
    assert reply is not None and ("313021098954" in reply or "2" in reply)


def test_denies_a_proposal_for_another_order() -> None:
    sim = UserSimulator(seed=5)
    sim.reset(cancel_task())
    wrong = {"name": "cancel_order", "args": {"order_id": "111111111111"}, "status": "proposed", "result": {}}
    reply = sim.step(turn("x", answer("确认取消订单111111111111吗？", actions=[wrong])))
    assert reply is not None and "313021098954" in reply and not reply.startswith("确认")


def test_unhelpful_answers_exhaust_patience_and_raise_anger() -> None:
    sim = UserSimulator(seed=11)
    sim.reset(cancel_task("impatient"))
    messages = []
    for _ in range(10):
        msg = sim.step(turn("x", answer("抱歉，我没理解您的意思")))
        if msg is None:
            break
        messages.append(msg)
    assert sim.outcome in ("gave_up", "max_turns")
    assert sim.state.emotion == "angry"
    intensities = [v for _, v in sim.state.trajectory]
    assert intensities == sorted(intensities) and intensities[-1] > intensities[0]


def test_handoff_ends_the_conversation() -> None:
    sim = UserSimulator(seed=2)
    sim.reset(
        Task(
            task_id="t",
            kind="demand_human",
            goal="demand_human",
            user_id="u",
            persona="angry",
            expect_handoff=True,
        )
    )
    assert sim.step(turn("x", answer("正在为您转接人工", handoff=True))) is None
    assert sim.outcome == "resolved"


class ScriptedKefu:
    """Recorded answers replayed in order (stands in for the HTTP API in this unit test)."""

    def __init__(self, answers: list[dict]) -> None:
        self.answers = list(answers)
        self.sent: list[str] = []

    def send(self, session: str, user: str, message: str) -> TurnResult:
        self.sent.append(message)
        return turn(message, self.answers.pop(0))


class FakeProbe:
    """A store that records the cancel once the scripted kefu says it is done."""

    def __init__(self, writes: list[WriteRecord], statuses: dict) -> None:
        self._writes, self._statuses = writes, statuses

    def mark(self) -> int:
        return 0

    def writes_since(self, mark: int, user_id=None) -> list[WriteRecord]:
        return self._writes

    def statuses(self, order_ids):
        return {o: self._statuses.get(o) for o in order_ids}


def test_conversation_verdict_comes_from_the_store() -> None:
    proposal = {
        "name": "cancel_order",
        "args": {"order_id": "313021098954"},
        "status": "proposed",
        "result": {},
    }
    answers = [
        answer("确认取消订单313021098954吗？", actions=[proposal]),
        answer("已为您取消", actions=[dict(proposal, status="done")]),
    ]
    ok = run_conversation(
        ScriptedKefu(answers),
        UserSimulator(seed=1),
        cancel_task(),
        FakeProbe(
            [WriteRecord("cancel_order", "313021098954", "paid", "cancelled")], {"313021098954": "cancelled"}
        ),
        "s1",
    )
    assert ok.outcome == "resolved" and ok.verdict.passed and ok.resolved_first_contact
    lying = run_conversation(
        ScriptedKefu(answers),
        UserSimulator(seed=1),
        cancel_task(),
        FakeProbe([], {"313021098954": "paid"}),
        "s2",
    )
    assert lying.outcome == "resolved" and not lying.verdict.passed and not lying.resolved_first_contact


def test_classify_response_flags_bad_answers() -> None:
    assert classify_response(500, b"oops")[1] == "http_5xx"
    assert classify_response(200, b"<html>")[1] == "invalid_json"
    assert classify_response(200, b'{"reply": "hi"}')[1] == "invalid_json"
    assert (
        classify_response(200, b'{"reply":"hi","intent":"x","state":{},"actions":[],"handoff":{}}')[1] is None
    )


def test_llm_simulator_needs_an_endpoint_and_falls_back_to_rules(tmp_path) -> None:
    import pytest

    from app.settings import Settings
    from evals.server import free_port
    from evals.simulators import LLMUserSimulator, make_simulator
    from evals.suites.base import SuiteError, SuiteOptions

    with pytest.raises(SuiteError, match="LLM endpoint"):
        make_simulator(SuiteOptions(settings=Settings(data_dir=tmp_path), simulator="llm"), seed=1)
    dead = Settings(data_dir=tmp_path, llm_base_url=f"http://127.0.0.1:{free_port()}/v1", llm_timeout_s=1.0)
    sim = make_simulator(SuiteOptions(settings=dead, simulator="llm"), seed=1)
    assert isinstance(sim, LLMUserSimulator)
    opening = sim.reset(cancel_task())
    assert opening.strip() and sim.llm_failures == 1
    assert opening == UserSimulator(seed=1).reset(cancel_task())  # same words as the rule-based customer


def test_order_details_are_not_mistaken_for_a_choice() -> None:
    sim = UserSimulator(seed=4)
    sim.reset(cancel_task())
    details = (
        "订单313021098954（耳机×1）当前状态：已签收。京东快递快递单号JD3557003941556，最新进展：已签收。"
    )
    reply = sim.step(turn("x", answer(details, intent="order_status")))
    assert reply is not None and "第" not in reply  # it restates the goal instead of picking "the first one"


def _orders() -> list[dict]:
    from datetime import datetime, timedelta

    now = datetime.now()
    def stamp(days):
        return (now - timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S")
    statuses = ["paid", "processing", "shipped", "delivered", "completed", "pending_payment"]
    rows = []
    for i in range(60):
        status = statuses[i % len(statuses)]
        rows.append(
            {
                "order_id": f"3000000000{i:02d}",
                "user_id": f"u{i % 7}",
                "status": status,
                "paid_at": stamp(i % 20),
                "delivered_at": stamp(i % 25) if status in ("delivered", "completed") else None,
                "items": [{"name": "耳机", "sku": "EL-1", "returnable": i % 4 != 0, "unit_price": 99.0}],
                "tracking_no": f"SF{i:013d}" if status == "shipped" else None,
                "price_drop": i % 5 == 0,
            }
        )
    return rows


def test_tasks_are_deterministic_and_fit_their_orders() -> None:
    from evals.task_catalog import build_tasks
    from evals.tasks import UNSHIPPED

    first, again = build_tasks(_orders(), 30, seed=3), build_tasks(_orders(), 30, seed=3)
    assert [t.to_json() for t in first] == [t.to_json() for t in again]
    assert len({t.order_id for t in first if t.order_id}) == sum(
        1 for t in first if t.order_id
    )  # one task an order
    by_id = {o["order_id"]: o for o in _orders()}
    for task in first:
        if task.kind in ("cancel_unshipped", "change_address"):
            assert by_id[task.order_id]["status"] in UNSHIPPED
        if task.kind in ("cancel_shipped", "chase_parcel"):
            assert by_id[task.order_id]["status"] == "shipped"
        if task.kind == "return_delivered":
            assert all(item["returnable"] for item in by_id[task.order_id]["items"])
    assert build_tasks(_orders(), 30, seed=4) != first


def test_llm_simulator_uses_the_model_words(tmp_path) -> None:
    """A stand-in OpenAI-compatible server (the large model only) voices the customer."""
    import json as _json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from app.settings import Settings
    from evals.simulators import make_simulator
    from evals.suites.base import SuiteOptions

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = _json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            draft = body["messages"][0]["content"].rsplit("Draft: ", 1)[-1]
            text = "麻烦帮我处理下：" + draft
            reply = {
                "id": "x",
                "object": "chat.completion",
                "created": 0,
                "model": "m",
                "choices": [
                    {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}
                ],
            }
            data = _json.dumps(reply, ensure_ascii=False).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings = Settings(data_dir=tmp_path, llm_base_url=f"http://127.0.0.1:{server.server_port}/v1")
        sim = make_simulator(SuiteOptions(settings=settings, simulator="llm"), seed=2)
        sim.reset(cancel_task())
        ask = sim.step(turn("x", answer("请问是哪个订单？请提供订单号", missing_slot="order_id")))
        assert ask.startswith("麻烦帮我处理下：") and "313021098954" in ask and sim.llm_failures == 0
    finally:
        server.shutdown()


def test_moves_are_recorded_per_message() -> None:
    sim = UserSimulator(seed=1)
    sim.reset(cancel_task())
    sim.step(turn("x", answer("请问是哪个订单？请提供订单号", missing_slot="order_id")))
    proposal = {
        "name": "cancel_order",
        "args": {"order_id": "313021098954"},
        "status": "proposed",
        "result": {},
    }
    sim.step(turn("x", answer("确认取消订单313021098954吗？", actions=[proposal])))
    assert sim.state.moves == ["goal", "give_order", "confirm"]
