"""Cross-lingual calibration of the fused search score.

A shop's policies may be written in two languages (mostly Chinese, a few English-only ones). Lexical
matching already favours the query's language (an English query shares words only with English
policies, save the lexicon's translations), and a same-language bonus on top of it tipped the
balance: an English question about a Chinese-only policy was won by an English policy that merely
shares a few words with it ("customer service", "shipping").

So when the served policies are in more than one language, the bonus goes to every policy alike (the
score scale stays) and the encoder's cross-lingual similarity, with the lexical signals, decides.
Only where a policy and its twin (the same policy in the other language, knowledge.twins) both match
does the query's language pick the version. With policies in one language only, nothing changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from knowledge.twins import pair_twins


def served_twins(served: Mapping[str, Any]) -> dict[str, str]:
    """Served policy id -> its served twin in the other language (empty when all share one language)."""
    if len({str(row["locale"]) for row in served.values()}) < 2:
        return {}
    return pair_twins({pid: (_field(row, "twin"), str(row["locale"])) for pid, row in served.items()})


def prefer_query_language(scores: dict[str, float], twins: Mapping[str, str], wanted: set[str]) -> None:
    """Where a policy and its twin both matched, the version in the query's language (`wanted`: the
    policy ids in that language) takes the better of the two scores and its twin the other, in place."""
    for pid, twin in twins.items():
        if pid in wanted and twin not in wanted and pid in scores and twin in scores:
            high, low = max(scores[pid], scores[twin]), min(scores[pid], scores[twin])
            scores[pid], scores[twin] = high, low


def _field(row: Any, name: str) -> str | None:
    keys = row.keys()
    return str(row[name]) if name in keys and row[name] else None
