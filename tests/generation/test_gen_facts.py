"""What a question asks for (a duration, an amount, a permission, steps) and what the customer negates pick the
clause and the case: graph/generation/facttype.py and graph/generation/polarity.py, alone and in the composer."""

from __future__ import annotations

from graph.generation.facttype import answers_kind, asked_types, stated_types
from graph.generation.polarity import contested, polarity, sides
from graph.reply.policy import compose_policy_answer

ASSEMBLY = """## 上门安装
上门安装服务由品牌授权的安装师傅提供，安装师傅会携带专用工具。
安装师傅在签收后 3天内 上门完成安装。
"""
RETURNS = """## 无理由退货
- 未安装的家具（包装完好）：签收后 7天内 可申请无理由退货。
- 已安装的家具：不支持无理由退货，质量问题按保修处理。
"""
DAMAGE = """## 运输损坏
- 有开箱视频：免费补发损坏部件。
- 无开箱视频：补偿实付金额的 10%。
"""


def _answer(question: str, text: str, title: str = "规则", language: str = "zh") -> str:
    passages = [{"policy_id": "p1", "version": 1, "title": title, "score": 0.8, "text": text}]
    answer = compose_policy_answer(question, passages, language=language, emotion=None, intent=None)
    assert answer["grounded"], answer
    return answer["text"]


def test_asked_types_of_questions():
    assert "time" in asked_types("安装要等几天")
    assert "time" in asked_types("How long does assembly take?")
    assert "money" in asked_types("送货上楼要加钱吗")
    assert "money" in asked_types("who pays the return shipping?")
    assert "count" in asked_types("一年能修几次")
    assert "procedure" in asked_types("延保怎么申请")
    assert "permission" in asked_types("拆过的床垫能退吗")
    assert asked_types("你好") == frozenset()
    assert "rate" not in asked_types("corporate orders")  # "rate" inside another word asks nothing


def test_stated_types_of_clauses():
    assert "time" in stated_types("签收后 3天内 上门完成安装。")
    assert "money" in stated_types("每层加收 10元。")
    assert "rate" in stated_types("补偿实付金额的 10%。")
    assert "procedure" in stated_types("在订单页点击“申请售后”提交照片。")
    assert "permission" in stated_types("已安装的家具不支持无理由退货。")
    assert stated_types("安装师傅会携带专用工具。") == frozenset()


def test_answers_kind_figure_outweighs_manner():
    asked = asked_types("安装要等几天")
    assert answers_kind(asked, "签收后 3天内 上门完成安装。") == (1.0, 0.0)
    assert answers_kind(asked, "安装师傅会携带专用工具。") == (-1.0, 0.0)
    assert answers_kind(frozenset(), "任何句子") == (0.0, 0.0)
    assert answers_kind(asked_types("延保怎么申请"), "在订单页点击申请。")[1] == 1.0


def test_the_clause_stating_the_asked_duration_answers():
    text = _answer("上门安装服务要等几天", ASSEMBLY)
    assert "3天内" in text


def test_sides_and_polarity():
    negated, affirmed = sides("没去医院 就拍了照片")
    assert {"医", "院"} <= negated and {"照", "片"} <= affirmed
    assert sides("能退不 扣不扣钱")[0] == frozenset()  # a "不" that asks negates nothing
    assert sides("漏液不到三分之一")[0] == frozenset()  # a bound of a quantity negates nothing
    assert polarity("没买延保", "无延保") > 0
    assert polarity("没买延保", "已购延保") < 0
    assert polarity("你好", "任何规则") == 0


def test_contested_characters_make_an_affirmed_case_agree():
    labels = ["未安装的家具（包装完好）", "已安装的家具"]
    against = contested(labels)
    assert "安" in against[1] and against[0] == frozenset()
    assert polarity("沙发已经装好安装了", labels[1], against[1]) > polarity("沙发已经装好安装了", labels[0], against[0])


def test_the_case_the_customer_negates_or_affirms_is_picked():
    installed = _answer("沙发已经安装了 不太喜欢 能退吗", RETURNS)
    assert "不支持无理由退货" in installed and "7天内" not in installed
    no_video = _answer("柜门运输中压坏了 没拍开箱视频 怎么赔", DAMAGE)
    assert "10%" in no_video and "免费补发" not in no_video


TRANSIT = """## 运输损坏
- 镜面破碎（穿衣镜、浴室镜）：免费补发新镜面，或全额退款。
- 木质划痕：补偿实付金额的 5%。

## 退货
- 未安装的家具：签收后 7天内 可申请无理由退货。
"""


def test_a_message_sharing_no_word_is_answered_by_the_closest_clause_in_meaning(monkeypatch):
    from graph.generation import cases

    passages = [{"policy_id": "p1", "version": 1, "title": "售后", "score": 0.3, "text": TRANSIT}]
    picked = cases.select_cases("镜子到手就是碎的", passages, None)
    assert picked and "免费补发新镜面" in picked[0].items[0]
    assert cases.select_cases("今天天气不错", passages, None) == []  # nothing close: no rule is quoted
    monkeypatch.setattr(cases, "MEANING_FLOOR", 2.0)  # the fallback is what answers it
    assert cases.select_cases("镜子到手就是碎的", passages, None) == []


def test_a_passage_close_in_meaning_is_on_topic_for_a_message_sharing_no_word():
    from graph import relevance

    passage = {"policy_id": "p1", "version": 1, "title": "售后", "score": 0.26, "text": "售后：镜面破碎",
               "chunks": [{"text": "售后 · 运输损坏：镜面破碎（穿衣镜、浴室镜）：免费补发新镜面，或全额退款。", "share": 1.0}]}
    assert not relevance.shares_words(passage, "镜子到手就是碎的")
    assert relevance.on_topic(passage, "other", "镜子到手就是碎的")
    assert not relevance.on_topic(passage, "other", "今天天气不错")
    assert not relevance.close_in_meaning(passage, "")
