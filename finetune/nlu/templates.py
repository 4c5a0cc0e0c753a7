"""Template files of the NLU corpus: parsing and expansion into labelled segments.

A template line reads like a customer message with `[a|b|]` choices, `{slot}` fillers and an
optional leading `@label:intensity ` for the emotion the wording itself carries (`@neutral:0 ` keeps a
line neutral whatever situation it describes; an untagged line takes the emotion of its situation, see
situations.py). A file may name a
`batch`: its templates are split into train/dev/held-out among themselves (see corpus.split_of).
A rendered message is a list of segments (text, entity type or None, normalised value or None), so
entity offsets are computed after augmentation has edited the literal parts.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from graph.nlu.labels import EMOTIONS, INTENTS

TEMPLATE_DIR = Path(__file__).parent / "data" / "templates"
CHOICE = re.compile(r"\[([^\[\]]*)\]")
SLOT = re.compile(r"\{(\w+)\}")
EMOTION_TAG = re.compile(r"^@(\w+):([0-9.]+)\s+")

Segment = tuple[str, str | None, str | None]  # text, entity type, normalised value


@dataclass(frozen=True)
class Template:
    """One template line with its identity and labels."""

    id: str
    intent: str
    lang: str  # zh | en | mixed
    pattern: str
    emotion: str = "neutral"
    intensity: float = 0.0
    batch: str = ""  # templates of a later batch are split among themselves
    tagged: bool = False  # the line names its emotion (@label:x); otherwise the situation decides


def load_templates(folder: Path = TEMPLATE_DIR) -> list[Template]:
    """Every template of every file, with ids `file-stem/lang/index` (several files may share an intent)."""
    out: list[Template] = []
    for path in sorted(folder.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        intent = raw["intent"]
        if intent not in INTENTS:
            raise ValueError(f"{path.name}: unknown intent {intent!r}")
        batch = str(raw.get("batch") or "")
        for lang in ("zh", "en", "mixed"):
            for index, line in enumerate(raw.get(lang) or []):
                out.append(_parse(f"{path.stem}/{lang}/{index:02d}", intent, lang, str(line), batch))
    return out


def _parse(template_id: str, intent: str, lang: str, line: str, batch: str = "") -> Template:
    tag = EMOTION_TAG.match(line)
    if not tag:
        return Template(template_id, intent, lang, line, batch=batch)
    label, intensity = tag.group(1), float(tag.group(2))
    if label not in EMOTIONS:
        raise ValueError(f"{template_id}: unknown emotion {label!r}")
    return Template(template_id, intent, lang, line[tag.end() :], label, intensity, batch, tagged=True)


def choose(pattern: str, rng: random.Random) -> str:
    """The pattern with every `[a|b|c]` replaced by one of its options."""
    return CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), pattern)


def split_slots(text: str) -> list[tuple[str, bool]]:
    """[(piece, is_slot)] for a pattern whose choices are already made."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for m in SLOT.finditer(text):
        if m.start() > last:
            pieces.append((text[last : m.start()], False))
        pieces.append((m.group(1), True))
        last = m.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


def join(segments: list[Segment]) -> tuple[str, list[dict[str, object]]]:
    """The message text and its entities [{type, value, start, end}] from segments."""
    text: list[str] = []
    entities: list[dict[str, object]] = []
    pos = 0
    for piece, kind, value in segments:
        if kind is not None:
            entities.append({"type": kind, "value": value, "start": pos, "end": pos + len(piece)})
        text.append(piece)
        pos += len(piece)
    return "".join(text), entities
