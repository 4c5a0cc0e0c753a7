"""Simulator factory: the rule-based customer (default) or its LLM-voiced variant.

The LLM variant keeps the rule-based policy (when to confirm, give the order id, give up) and
asks an OpenAI-compatible model (settings.llm_base_url) to voice each message in character;
any failure of the model falls back to the rule-based wording, so a run never stalls on it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from evals.simulator import UserSimulator
from evals.suites.base import SuiteError

PROMPT_PATH = Path(__file__).resolve().parent / "data" / "llm_simulator.md"


class LLMUserSimulator(UserSimulator):
    """A simulated customer whose messages an LLM writes from the rule-based drafts."""

    def __init__(self, seed: int, settings: Any, max_turns: int = 8) -> None:
        super().__init__(seed, max_turns)
        from openai import OpenAI

        self._model = settings.llm_model
        self._llm = OpenAI(
            base_url=settings.llm_base_url,
            api_key=settings.llm_api_key,
            timeout=settings.llm_timeout_s,
            max_retries=0,
        )
        self.llm_failures = 0

    def _say(self, text: str, first: bool = False) -> str:
        draft = super()._say(text, first)
        task = self._task()
        prompt = _prompt().format(
            persona=task.persona,
            language=self.language,
            goal=task.goal,
            order_id=task.order_id or "-",
            details=task.slots or "-",
            move_hint="open the conversation" if first else "answer the assistant",
            draft=draft,
        )
        try:
            out = self._llm.chat.completions.create(
                model=self._model,
                messages=[{"role": "user", "content": prompt}],
                temperature=0.7,
                max_tokens=80,
                seed=self.rng.randrange(1 << 30),
            )
            content = (out.choices[0].message.content or "").strip()
        except Exception:  # noqa: BLE001 - the model is optional: fall back to the rule-based draft
            self.llm_failures += 1
            return draft
        keeps_ids = task.order_id is None or str(task.order_id) not in draft or str(task.order_id) in content
        return content if content and keeps_ids else draft


@lru_cache(maxsize=1)
def _prompt() -> str:
    return PROMPT_PATH.read_text(encoding="utf-8")


def make_simulator(opts: Any, seed: int) -> UserSimulator:
    """The simulator named by opts.simulator ('rules' or 'llm')."""
    if opts.simulator == "llm":
        if not opts.settings.llm_base_url:
            raise SuiteError("--simulator llm needs an LLM endpoint: set KEFU_LLM_BASE_URL")
        return LLMUserSimulator(seed, opts.settings)
    return UserSimulator(seed)
