"""An English question about how a kind of case is handled ("I want to make a complaint, how does it work?") asks
for the procedure, answered from the policies, even after "I want to"; a bare complaint or one that asks kefu to
act stays a request."""

from __future__ import annotations

import pytest

from graph.dialogue_acts import asks_procedure


@pytest.mark.parametrize("text", ["I want to make a complaint, how does it work?", "how do I file a complaint?",
                                  "I'd like to return it, what are the steps?", "how does the process work?"])
def test_an_english_question_about_the_procedure_asks_procedure(text):
    assert asks_procedure(text)


@pytest.mark.parametrize("text", ["I want to make a complaint", "please help me file a complaint, how does it work",
                                  "my order is late, how does it work?", "我要投诉，吃了拉肚子，你们怎么处理",
                                  "I want to complain, handle it asap, how does it work"])
def test_a_complaint_that_asks_to_act_is_no_procedure_question(text):
    assert not asks_procedure(text)

