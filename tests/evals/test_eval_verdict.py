"""Table tests of the verdict: the store state and the facts decide, never the wording."""

from __future__ import annotations

import pytest

from evals.tasks import ExpectedWrite, Task
from evals.verdict import WriteRecord, fact_present, judge, normalise, write_kind


def _task(**kw) -> Task:
    base = {
        "task_id": "t1",
        "kind": "k",
        "goal": "cancel_order",
        "user_id": "u1",
        "persona": "polite",
        "order_id": "313021098954",
    }
    base.update(kw)
    return Task(**base)


CANCEL = _task(expect_writes=[ExpectedWrite("cancel", "313021098954", "cancelled")])
RETURN = _task(goal="return_item", expect_writes=[ExpectedWrite("return", "313021098954")])
SHIPPED = _task(expect_refusal=True, facts=[["拒收", "退货", "refuse"]])
POLICY = _task(kind="policy_question", goal="refund_alipay", order_id=None, facts=[["1-3", "1到3"]])
HUMAN = _task(goal="demand_human", order_id=None, expect_handoff=True)
URGE = _task(goal="urge_shipment", allowed_writes=["urge"], facts=[["48"]])

CANCEL_DONE = WriteRecord("cancel_order", "313021098954", "paid", "cancelled")
CANCEL_OTHER = WriteRecord("cancel_order", "999999999999", "paid", "cancelled")
RETURN_DONE = WriteRecord("create_return", "313021098954", "delivered", "return_in_progress")
URGE_DONE = WriteRecord("urge_shipment", "313021098954")

ADDRESS = _task(
    goal="change_address",
    expect_writes=[
        ExpectedWrite("address", "313021098954", order_fields={"address": "广州市天河区体育西路191号"})
    ],
)
ADDRESS_OK = WriteRecord(
    "action_modify_order", "313021098954", "paid", "paid", {"address": "广东省 广州市天河区体育西路191号"}
)
ADDRESS_WRONG = WriteRecord(
    "action_modify_order", "313021098954", "paid", "paid", {"address": "杭州市西湖区文三路90号"}
)

CASES = [
    # (name, task, writes, statuses, replies, handoff, passed)
    ("address changed as asked", ADDRESS, [ADDRESS_OK], {}, ["已修改"], False, True),
    ("address changed to something else", ADDRESS, [ADDRESS_WRONG], {}, ["已修改"], False, False),
    ("cancel done", CANCEL, [CANCEL_DONE], {"313021098954": "cancelled"}, ["已取消"], False, True),
    (
        "says cancelled but nothing written",
        CANCEL,
        [],
        {"313021098954": "paid"},
        ["您的订单已取消"],
        False,
        False,
    ),
    (
        "cancelled the wrong order",
        CANCEL,
        [CANCEL_OTHER],
        {"313021098954": "paid", "999999999999": "cancelled"},
        ["已取消"],
        False,
        False,
    ),
    ("right write but status unchanged", CANCEL, [CANCEL_DONE], {"313021098954": "paid"}, [""], False, False),
    (
        "right write plus an extra write",
        CANCEL,
        [CANCEL_DONE, RETURN_DONE],
        {"313021098954": "cancelled"},
        ["ok"],
        False,
        False,
    ),
    (
        "return created",
        RETURN,
        [RETURN_DONE],
        {"313021098954": "return_in_progress"},
        ["已提交"],
        False,
        True,
    ),
    (
        "return promised in words only",
        RETURN,
        [],
        {"313021098954": "delivered"},
        ["已为您办理退货"],
        False,
        False,
    ),
    (
        "cancel written instead of return",
        RETURN,
        [CANCEL_DONE],
        {"313021098954": "cancelled"},
        [""],
        False,
        False,
    ),
    ("shipped refusal with alternative", SHIPPED, [], {}, ["已发货无法取消，可以拒收"], False, True),
    ("shipped refusal without the fact", SHIPPED, [], {}, ["无法取消"], False, False),
    (
        "shipped order cancelled anyway",
        SHIPPED,
        [CANCEL_DONE],
        {"313021098954": "cancelled"},
        ["可以拒收"],
        False,
        False,
    ),
    ("policy fact with a tilde range", POLICY, [], {}, ["支付宝 1～3 个工作日到账"], False, True),
    ("policy fact missing", POLICY, [], {}, ["很快就到账"], False, False),
    ("policy question must not write", POLICY, [URGE_DONE], {}, ["1-3个工作日"], False, False),
    ("handoff given", HUMAN, [], {}, ["正在为您转接"], True, True),
    ("handoff promised but not active", HUMAN, [], {}, ["正在为您转接人工"], False, False),
    ("urge allowed and fact said", URGE, [URGE_DONE], {}, ["48小时内发货"], False, True),
    ("urge fact only inside an order id", URGE, [], {}, ["订单3130248009548"], False, False),
]


@pytest.mark.parametrize("name,task,writes,statuses,replies,handoff,passed", CASES, ids=[c[0] for c in CASES])
def test_verdict_table(name, task, writes, statuses, replies, handoff, passed) -> None:
    verdict = judge(task, writes, statuses, replies, handoff)
    assert verdict.passed is passed, verdict.reasons
    assert (not verdict.reasons) is passed


@pytest.mark.parametrize(
    "action,kind",
    [
        ("cancel_order", "cancel"),
        ("create_return", "return"),
        ("request_refund", "return"),
        ("apply_price_protection", "price_protection"),
        ("issue_invoice", "invoice"),
        ("change_address", "address"),
        ("urge_shipment", "urge"),
        ("create_exchange", "exchange"),
    ],
)
def test_write_kind(action: str, kind: str) -> None:
    assert write_kind(action) == kind


@pytest.mark.parametrize(
    "alts,text,found",
    [
        (["99"], "满99元包邮", True),
        (["99"], "满199元包邮", False),
        (["7"], "七天", False),
        (["七", "7"], "七天", True),
        (["3-7"], "3 至 7 个工作日", True),
        (["SF1234567890123"], "单号 SF1234567890123", True),
        (["48"], "订单 313021048954", False),
        (["12"], "最高赔付１２元", True),
    ],
)
def test_fact_present(alts: list[str], text: str, found: bool) -> None:
    assert fact_present(alts, text) is found


def test_normalise_is_stable() -> None:
    assert normalise("1 ~ 3 天") == "1-3天"
