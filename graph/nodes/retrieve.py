"""Retrieve: rewrite the turn into a standalone query and fetch the effective policy passages."""

from __future__ import annotations

import time
from typing import Any

from langgraph.runtime import Runtime

from graph.context import TurnContext
from graph.ports import PolicyBase
from graph.state import DialogueState

TOP_K = 3


def find_passages(policies: PolicyBase, text: str, history: list[str], slots: dict[str, Any]) -> tuple[str, list]:
    """The standalone query of `text` (given the customer's earlier messages and the slots) and its passages."""
    from knowledge import rewrite_query

    query = rewrite_query(text, history, slots)
    return query, policies.search(query, k=TOP_K)


def retrieve(state: DialogueState, runtime: Runtime[TurnContext]) -> dict:
    started = time.perf_counter()
    history = [m["content"] for m in state.get("messages", [])[:-1] if m["role"] == "user"][-3:]
    if state.get("query"):  # the DST's query for the next step of the topic (graph/continuity.py)
        query, passages = state["query"], runtime.context.policies.search(state["query"], k=TOP_K)
    else:
        query, passages = find_passages(runtime.context.policies, state.get("text", ""), history,
                                        dict(state.get("slots") or {}))
    timings = dict(state.get("timings") or {})
    timings["retrieve_ms"] = (time.perf_counter() - started) * 1000
    return {"passages": passages, "query": query, "timings": timings}
