"""Wiring of the turn graph and its routing functions. Nodes live in graph/nodes/, one a module."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.graph import END, START, StateGraph

from graph import dialogue_acts
from graph.context import TurnContext
from graph.intents import ACTION_FOR_INTENT, POLICY_INTENTS
from graph.nodes.act import act
from graph.nodes.dst import dst
from graph.nodes.handoff import handoff, relay
from graph.nodes.nlu import nlu
from graph.nodes.preprocess import preprocess
from graph.nodes.resolve import resolve
from graph.nodes.respond import respond
from graph.nodes.resume import resume
from graph.nodes.retrieve import retrieve
from graph.state import DialogueState, merge_dicts


def after_preprocess(state: DialogueState) -> Literal["relay", "respond", "nlu"]:
    if (state.get("handoff") or {}).get("active"):
        return "relay"
    return "respond" if state.get("route") == "guard" else "nlu"


def after_relay(state: DialogueState) -> Literal["nlu", "__end__"]:
    if (state.get("handoff") or {}).get("active") or state.get("route") == "relay":
        return END
    return "nlu"


def route(state: DialogueState) -> Literal["act", "retrieve", "handoff", "respond"]:
    """Choose the branch of this turn from the DST."""
    intent, act_kind = state.get("intent", "other"), state.get("dialogue_act")
    if act_kind in ("confirm", "deny") and state.get("pending_action"):
        return "act"
    if intent == "human_agent":
        return "handoff"
    emotion = (state.get("emotion_history") or [{}])[-1]
    if intent == "complaint" and emotion.get("label") == "angry" and float(emotion.get("intensity", 0)) >= 0.9:
        return "handoff"
    if intent in ACTION_FOR_INTENT:
        return "retrieve" if _asks_about_rules(state) else "act"
    if intent in POLICY_INTENTS:
        return "retrieve"
    return "respond"


def _asks_about_rules(state: DialogueState) -> bool:
    """A general question on an order topic, with no order in play: answer it from the policies."""
    if state.get("pending_action") or state.get("awaiting_slot") or state.get("dialogue_act") != "request":
        return False
    mentions_order = any(e.get("type") in ("order_id", "tracking_no") for e in state.get("entities") or [])
    return not mentions_order and dialogue_acts.is_general_question(state.get("text", ""))


def dst_then_route(state: DialogueState) -> dict[str, Any]:
    """The DST update plus the branch `route` picks from the updated state: one graph step, not two
    (each LangGraph step costs a few tenths of a millisecond of CPU)."""
    update = dst(state)
    view = {**state, **update, "slots": merge_dicts(state.get("slots"), update.get("slots"))}
    return {**update, "route": route(view)}  # type: ignore[arg-type]


def after_resolve(state: DialogueState) -> Literal["handoff", "resume", "__end__"]:
    if state.get("escalate"):
        return "handoff"
    task_done = not state.get("pending_action") and not state.get("awaiting_slot")
    if state.get("intent_stack") and task_done and state.get("resolved") and state.get("route") != "guard":
        return "resume"
    return END


def build_graph(checkpointer: Any = None) -> Any:
    """Compile the turn graph; `checkpointer` persists the dialogue state between turns."""
    g = StateGraph(DialogueState, context_schema=TurnContext)
    for name, node in [("preprocess", preprocess), ("relay", relay), ("nlu", nlu), ("dst", dst_then_route),
                       ("act", act), ("retrieve", retrieve), ("respond", respond),
                       ("resolve", resolve), ("handoff", handoff), ("resume", resume)]:
        g.add_node(name, node)
    g.add_edge(START, "preprocess")
    g.add_conditional_edges("preprocess", after_preprocess)
    g.add_conditional_edges("relay", after_relay)
    g.add_edge("nlu", "dst")
    g.add_conditional_edges("dst", lambda s: s["route"], ["act", "retrieve", "handoff", "respond"])
    g.add_edge("act", "respond")
    g.add_edge("retrieve", "respond")
    g.add_edge("respond", "resolve")
    g.add_conditional_edges("resolve", after_resolve)
    g.add_edge("handoff", END)
    g.add_edge("resume", END)
    return g.compile(checkpointer=checkpointer)
