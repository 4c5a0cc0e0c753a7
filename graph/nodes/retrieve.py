"""Retrieve: rewrite the turn into a standalone query and fetch the effective policy passages."""

from __future__ import annotations

import time

from langgraph.runtime import Runtime

from graph.context import TurnContext
from graph.state import DialogueState

TOP_K = 3


def retrieve(state: DialogueState, runtime: Runtime[TurnContext]) -> dict:
    from knowledge import open_kb, rewrite_query

    started = time.perf_counter()
    history = [m["content"] for m in state.get("messages", [])[:-1] if m["role"] == "user"][-3:]
    query = rewrite_query(state.get("text", ""), history, dict(state.get("slots") or {}))
    passages = open_kb(runtime.context.settings).search(query, k=TOP_K)
    timings = dict(state.get("timings") or {})
    timings["retrieve_ms"] = (time.perf_counter() - started) * 1000
    return {"passages": passages, "query": query, "timings": timings}
