"""Issue 21, openers that fit: "真的很抱歉，问题还没解决让您更着急了" only once kefu has replied on the problem
(the customer was already upset on their previous message), never on the turn the problem is first told."""

from __future__ import annotations

from graph.reply import tone

STILL_NOT_SOLVED = "问题还没解决"


def _feel(label: str, intensity: float, turn: int) -> dict[str, object]:
    return {"label": label, "intensity": intensity, "turn": turn}


def test_a_problem_first_told_gets_no_still_not_solved_apology():
    history = [_feel("neutral", 0.0, 1), _feel("angry", 0.6, 2)]  # "在吗", then the problem, angry
    opening = tone.opening(history, "zh", content="rule")
    assert opening and STILL_NOT_SOLVED not in opening  # an apology, not "still not solved"


def test_anger_rising_after_a_reply_on_the_problem_gets_it():
    history = [_feel("neutral", 0.0, 1), _feel("angry", 0.4, 2), _feel("angry", 0.8, 3)]
    assert STILL_NOT_SOLVED in tone.opening(history, "zh", content="rule")


def test_in_a_conversation_the_first_problem_turn_has_no_still_not_solved(talk):
    hello = talk("在吗")
    assert STILL_NOT_SOLVED not in hello["reply"]
    problem = talk("我买的那个蓝牙耳机怎么还没到 气死了")
    feelings = problem["state"]["emotion_history"]
    assert feelings[-1]["label"] in ("angry", "anxious")
    assert STILL_NOT_SOLVED not in problem["reply"]
