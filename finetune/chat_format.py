"""Dialogues as chat-template training examples: loss only on agent turns, KG decision points marked.

An example is `{"input_ids", "labels", "kg"}`: labels are -100 outside trained agent turns (the
turn's content and its end-of-turn marker are trained); `kg` lists `[token_index, gold_id,
[competitor_ids]]` for the tokens where an agent turn realises a KG fact (finetune/kg.py).
Agent turns listed in the dialogue's `meta.no_loss_turns` (low-rated bot answers, KG contradictions)
stay in the context but get no loss.
"""

from __future__ import annotations

from typing import Any

from finetune.dialogues import Dialogue
from finetune.kg import KnowledgeGraph
from finetune.resources import load_yaml


def to_messages(d: Dialogue, system: bool = True) -> tuple[list[dict[str, str]], list[bool]]:
    """Chat messages of a dialogue and, per message, whether it is trained."""
    prompts = load_yaml("prompts.yaml")
    messages: list[dict[str, str]] = []
    trained: list[bool] = []
    if system:
        messages.append(
            {"role": "system", "content": prompts["system_en" if d.lang == "en" else "system_zh"]}
        )
        trained.append(False)
    no_loss = set(d.meta.get("no_loss_turns", []))
    for i, t in enumerate(d.turns):
        role = "user" if t.role == "customer" else "assistant"
        if messages and messages[-1]["role"] == role:  # merge consecutive turns of one side
            messages[-1]["content"] += "\n" + t.text
            trained[-1] = trained[-1] and i not in no_loss
            continue
        messages.append({"role": role, "content": t.text})
        trained.append(role == "assistant" and i not in no_loss)
    return messages, trained


def _render(tokenizer: Any, messages: list[dict[str, str]], generation_prompt: bool = False) -> str:
    if not messages:
        return ""
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=generation_prompt)


def assistant_spans(
    tokenizer: Any, messages: list[dict[str, str]], trained: list[bool]
) -> tuple[str, list[tuple[int, int, int]]]:
    """The rendered text and (content_start, span_end, message_index) of each trained agent turn.

    span_end includes the template's end-of-turn text, so the model learns to stop.
    """
    full = _render(tokenizer, messages)
    spans = []
    for i, (msg, train) in enumerate(zip(messages, trained, strict=False)):
        if msg["role"] != "assistant" or not train:
            continue
        start = len(_render(tokenizer, messages[:i], generation_prompt=True))
        if full[start : start + len(msg["content"])] != msg["content"]:
            start = full.find(msg["content"], max(0, start - 8))
            if start < 0:
                continue
        end = len(_render(tokenizer, messages[: i + 1]))
        spans.append((start, max(end, start + len(msg["content"])), i))
    return full, spans


def _first_id(tokenizer: Any, text: str) -> int | None:
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    return ids[0] if ids else None


def _token_at(offsets: list[tuple[int, int]], char: int) -> int | None:
    for j, (s, e) in enumerate(offsets):
        if s <= char < e:
            return j
    return None


def kg_points(
    tokenizer: Any,
    kg: KnowledgeGraph,
    content: str,
    base: int,
    ids: list[int],
    offsets: list[tuple[int, int]],
) -> list[list[Any]]:
    """KG decision points of one agent turn as [token_index, gold_id, competitor_ids]."""
    points = []
    for target in kg.targets(content):
        j = _token_at(offsets, base + target.start)
        if j is None or j == 0:
            continue
        gold = ids[j] if target.consistent else _first_id(tokenizer, target.gold)
        rivals = sorted(
            {r for c in target.competitors if (r := _first_id(tokenizer, c)) is not None} - {gold}
        )
        if gold is not None and rivals:
            points.append([j, gold, rivals])
    return points


def encode_dialogue(
    tokenizer: Any, d: Dialogue, kg: KnowledgeGraph | None, max_len: int
) -> dict[str, Any] | None:
    """One training example (None when no trained agent token survives truncation)."""
    messages, trained = to_messages(d)
    full, spans = assistant_spans(tokenizer, messages, trained)
    enc = tokenizer(full, add_special_tokens=False, return_offsets_mapping=True)
    ids, offsets = enc["input_ids"][:max_len], [tuple(o) for o in enc["offset_mapping"][:max_len]]
    labels = [-100] * len(ids)
    for start, end, _ in spans:
        for j, (s, _e) in enumerate(offsets):
            if start <= s < end:
                labels[j] = ids[j]
    if all(x == -100 for x in labels):
        return None
    points: list[list[Any]] = []
    if kg is not None:
        for start, _end, i in spans:
            points += [
                p
                for p in kg_points(tokenizer, kg, messages[i]["content"], start, ids, offsets)
                if labels[p[0]] != -100
            ]
    return {"input_ids": ids, "labels": labels, "kg": points, "id": d.id}


def prompt_and_reference(d: Dialogue) -> dict[str, Any] | None:
    """An RL prompt: the chat up to the agent's answer to the customer's question (after any slot
    questions such as the order number), with the columns the reward needs."""
    from finetune.corpus import question_and_answer

    found = question_and_answer(d)
    if found is None:
        return None
    qi, ai, intent = found
    question = d.turns[qi]
    context = Dialogue(**{**d.__dict__, "turns": d.turns[:ai], "meta": {}})
    messages, _ = to_messages(context)
    return {
        "prompt": messages,
        "reference": d.turns[ai].text,
        "intent": intent,
        "emotion": question.emotion or "neutral",
        "intensity": float(question.intensity or 0.0),
        "lang": d.lang or "zh",
        "category": d.category or "unknown",
    }
