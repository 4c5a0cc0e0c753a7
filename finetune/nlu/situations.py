"""Emotion from the situation a message describes: the rules live with the serving code
(graph/nlu/situations.py, graph/nlu/lexicon/situations.yaml) because the emotion head reads which
situation a message describes as a feature; the corpus uses them as weak labels.
"""

from __future__ import annotations

from graph.nlu.situations import ORDER, SITUATIONS_PATH, Situation, situation_emotion, situations

__all__ = ["ORDER", "SITUATIONS_PATH", "Situation", "situation_emotion", "situations"]
