"""Resume: after an interruption is answered, go back to the task on top of the intent stack."""

from __future__ import annotations

from langgraph.runtime import Runtime

from graph import escalation
from graph.context import TurnContext
from graph.intents import ACTION_FOR_INTENT
from graph.nodes.act import start_task
from graph.reply import actions as action_replies
from graph.reply import wording
from graph.state import DialogueState


def resume(state: DialogueState, runtime: Runtime[TurnContext]) -> dict:
    stack = list(state.get("intent_stack") or [])
    frame = stack.pop()
    language = state.get("language") or "zh"
    update: dict = {"intent_stack": stack, "active_intent": frame["intent"], "slots": dict(frame["slots"])}
    if frame["intent"] not in ACTION_FOR_INTENT:
        return update  # a question answered before: nothing to carry on with, and no "我们继续…：" left dangling
    lead = wording.text("resume", language, task=action_replies.task_name(frame["intent"], language))
    task_state: DialogueState = {**state, "intent": frame["intent"], "slots": frame["slots"], "text": ""}
    task = start_task(task_state, runtime.context.shop, runtime.context.user_id, runtime.context.session_id)
    record = task["actions"][-1]
    missing = str((record.get("missing") or ["order_id"])[0]) if record.get("status") == "need_slot" else ""
    if missing and escalation.ask_spent({**state, "slots": frame["slots"]}, missing):  # asked twice: no third ask
        if (state.get("pending_question") or {}).get("kind") == "transfer":  # the reply offers a person already
            return update
        name, what = action_replies.task_name(frame["intent"], language), wording.slot_name(missing, language)
        key = "resume_spent_order" if missing == "order_id" else "resume_spent"
        lead = wording.phrase("move", key, language, task=name, what=what)
        update["pending_question"] = {"kind": "transfer", "turn": int(state.get("turn", 0))}
        return _said(state, update, lead)
    lead += action_replies.action_reply(record, frame["intent"], language, list(task.get("choices") or []))
    update.update({k: v for k, v in task.items() if k in ("pending_action", "awaiting_slot")})
    update["actions"] = list(state.get("actions") or []) + task["actions"]
    if missing:  # the ask said here counts like any other (graph/escalation.py: the third one hands off)
        asked = dict(state.get("asked") or {})
        update["asked"] = {**asked, missing: int(asked.get(missing, 0)) + 1}
    return _said(state, update, lead)


def _said(state: DialogueState, update: dict, lead: str) -> dict:
    reply = f"{state.get('reply', '')}\n{lead}".strip()
    update["reply"] = reply
    update["messages"] = [{"role": "assistant", "content": lead, "turn": state.get("turn", 0)}]
    return update
