"""Cases the customer names inside one sentence, table row or list item, and the quantities that pick them
("一年半", "第一次", "订单12000", "4th floor"); the knowledge base's best policy when no word of it is shared."""

from __future__ import annotations

import pytest
from gen_fixtures import policy_answer as _answer

from graph.generation.conditions import condition_of, quantities


def test_the_kbs_best_policy_answers_when_it_shares_no_word_but_another_does():
    from graph.generation.cases import select_cases

    invoice = {"policy_id": "inv", "version": 1, "title": "发票", "score": 0.62,
               "text": "- 电子普通发票：签收后1-3个工作日开出。\n- 增值税专用发票须提交企业资质，签收后5-7个工作日寄出。",
               "chunks": [{"text": "发票：增值税专用发票须提交企业资质，签收后5-7个工作日寄出。", "share": 1.0},
                          {"text": "发票：电子普通发票：签收后1-3个工作日开出。", "share": 0.5}]}
    address = {"policy_id": "addr", "version": 1, "title": "改地址", "score": 0.25,
               "text": "已发货的快递由客服联系快递公司改派。",
               "chunks": [{"text": "改地址：已发货的快递由客服联系快递公司改派。", "share": 1.0}]}
    picks = select_cases("公司要专票 多久能拿到", [invoice, address], None)
    assert picks and picks[0].passage_rank == 0
    assert any("5-7个工作日" in item for item in picks[0].items)
    # without the KB's chunk match the word shared with the other policy still decides (nothing invented)
    bare = {**invoice, "chunks": []}
    assert select_cases("公司要专票 多久能拿到", [bare, address], None)[0].passage_rank == 1


@pytest.mark.parametrize(("text", "days"), [("买了一年半了", 547.5), ("两个半月", 75.0), ("用了3天半", 3.5),
                                            ("半年", 182.0)])
def test_a_unit_and_a_half_is_read_whole(text, days):
    assert [(q.low, q.high) for q in quantities(text)] == [(days, days)]


WARRANTY_TABLE = """## 保修期限
| 商品 | 国内行货保修 | 跨境保税商品保修 |
|---|---|---|
| 吹风机、直发夹 | 2年 | 本店保修 6个月 |
| 洁面仪、电动牙刷 | 1年 | 本店保修 6个月 |
"""


def test_a_named_column_of_a_table_row_keeps_only_its_part():
    text = _answer("国内行货的吹风机坏了 保修多久", ("warranty", "仪器保修", WARRANTY_TABLE))
    assert "2年" in text and "6个月" not in text, text
    both = _answer("吹风机坏了 保修多久", ("warranty", "仪器保修", WARRANTY_TABLE))
    assert "2年" in both and "6个月" in both, both  # nothing named: every column of the row


FITTING = """## 安装收费
小件默认自行安装。需要师傅上门安装的收费如下：吸顶灯每盏50元；吊灯每盏120元；窗帘轨道每米15元，最低80元。
"""
RESCHEDULE = """## 改期
- 客户临时改期的，第一次改期免费；第二次起每次收取改约费50元。
- 试睡退货收取取件费199元，金卡会员免取件费。
"""


def test_the_lead_of_cases_inside_a_sentence_stays_and_only_the_named_case_follows_it():
    text = _answer("吊灯上门装多少钱", ("install", "安装", FITTING))
    assert "120元" in text and "50元" not in text and "每米15元" not in text, text
    assert "收费如下" in text
    whole = _answer("上门安装怎么收费", ("install", "安装", FITTING))
    assert "50元" in whole and "120元" in whole and "每米15元" in whole, whole


def test_an_ordinal_time_and_a_waived_fee_pick_their_case():
    text = _answer("第一次改期要钱吗", ("reschedule", "改期", RESCHEDULE))
    assert "第一次改期免费" in text and "50元" not in text, text
    gold = _answer("我是金卡 退的话扣钱吗", ("reschedule", "改期", RESCHEDULE))
    assert "金卡会员免取件费" in gold and "199元" not in gold, gold


def test_english_ordinal_floors_are_floors_not_counts():
    assert [(q.family, q.low) for q in quantities("no elevator, 4th floor")] == [("floor", 4.0)]


def test_an_order_value_without_its_unit_is_money_and_an_order_number_is_not():
    assert [(q.family, q.low) for q in quantities("订单12000 能分几期")] == [("money", 12000.0)]
    assert quantities("订单号123456789012") == ()



def test_a_part_the_customer_names_by_its_word_is_not_lowered_for_another_product_its_name_lists():
    from graph.generation.clauses import Clause
    from graph.generation.narrowing import grams
    from graph.generation.topic import _case_condition

    question = "衣柜门铰链坏了 买了两年 保修不"
    hinge = Clause(0, 1, "五金件（铰链、滑轨、功能沙发铁架）：3年", "五金件（铰链、滑轨、功能沙发铁架）", "保修", "", 1)
    frame = Clause(0, 2, "沙发框架：5年", "沙发框架", "保修", "", 1)
    cond, said = condition_of(question), grams(question)
    assert _case_condition(cond, hinge, question, said) >= 0
    assert _case_condition(cond, frame, question, said) < 0  # a case named only by another product stays lowered


def test_everyday_damage_words_find_the_policy_terms():
    warranty = "## 保修\n- 保修期内免费上门维修。\n- 人为损坏（宠物抓挠、液体浸泡）不在保修范围内。\n"
    text = _answer("家里猫把沙发抓花了 保修吗", ("w", "保修", warranty))
    assert "不在保修范围内" in text and "免费上门维修" not in text, text
