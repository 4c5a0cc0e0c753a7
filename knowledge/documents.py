"""Policy documents: parse Markdown with YAML front matter, validate, and write it back.

Every value of the front matter is read as text (YAML's own dates and booleans are not guessed), so
a date like 2026-13-45 is reported as a bad date of its field, never a crash; anchors and aliases are
refused; a full-width colon after a key (`title：…`) is read as the colon it was meant to be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from knowledge.errors import PolicyFormatError

ID_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
LOCALES = ("zh-CN", "en")
MAX_DOC_BYTES = 256 * 1024
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FRONT_RE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.DOTALL)
_WIDE_COLON_RE = re.compile(r"^([ \t]*[A-Za-z_][A-Za-z0-9_-]*)[ \t]*[：﹕][ \t]*", re.MULTILINE)
_KEY_RE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*[:：]")
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_NULLS = {"", "null", "none", "~"}
_MAX_DEPTH = 8
MAX_VERSION = 2**31 - 1
_KNOWN_KEYS = {"id", "title", "category", "version", "effective_from", "effective_to", "locale", "twin"}
_TEXT_KEYS = _KNOWN_KEYS | {"body"}


@dataclass
class PolicyDoc:
    """One version of one policy as an editor wrote it."""

    id: str
    title: str
    body: str
    category: str = "general"
    locale: str = "zh-CN"
    version: int | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    twin: str | None = None
    """Id of the same policy in the other language (kept in step: changing one flags the other)."""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_markdown(self, with_version: bool = True) -> str:
        """The document as Markdown with front matter (the import format)."""
        meta: dict[str, Any] = {"id": self.id, "title": self.title, "category": self.category}
        if self.version is not None and with_version:
            meta["version"] = self.version
        meta["effective_from"] = self.effective_from.isoformat() if self.effective_from else None
        meta["effective_to"] = self.effective_to.isoformat() if self.effective_to else None
        meta["locale"] = self.locale
        if self.twin:
            meta["twin"] = self.twin
        head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip()
        return f"---\n{head}\n---\n{self.body}\n"

    def content_key(self) -> tuple[Any, ...]:
        """What decides whether two versions say the same thing."""
        return (self.title, self.body.strip(), self.category, self.locale, self.effective_from,
                self.effective_to, self.twin)


def decode_bytes(raw: bytes, max_bytes: int = MAX_DOC_BYTES) -> str:
    """Bytes of a file -> text, refusing binary, non-UTF-8 and oversized input."""
    if len(raw) > max_bytes:
        raise PolicyFormatError(code="document_too_large", field="document", size=len(raw), limit=max_bytes)
    if b"\x00" in raw:
        raise PolicyFormatError(code="binary", field="document")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicyFormatError(code="not_utf8", field="document", byte=exc.start) from None


class _FrontMatterLoader(yaml.BaseLoader):
    """Every scalar as text; anchors and aliases refused (they can also blow a document up), and so is
    nesting deeper than front matter ever needs (it would exhaust the parser's recursion)."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise PolicyFormatError(code="front_matter_alias", field="front_matter", line=event.start_mark.line + 2)
        if self.depth >= _MAX_DEPTH:
            raise PolicyFormatError(code="front_matter_syntax", field="front_matter", line=event.start_mark.line + 2,
                                    detail="nested too deep")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def read_front_matter(head: str) -> dict[str, Any]:
    """The front matter block (without its '---' lines) -> a dict of texts; errors name the line."""
    head = _WIDE_COLON_RE.sub(r"\1: ", head)
    try:
        meta = yaml.load(head, Loader=_FrontMatterLoader)  # a BaseLoader: builds texts, lists and dicts only
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        row = mark.line if mark is not None else 0
        lines = head.splitlines()
        key = _KEY_RE.match(lines[row]) if row < len(lines) else None
        name = key.group(1) if key and key.group(1) in _KNOWN_KEYS else "front_matter"
        raise PolicyFormatError(code="front_matter_syntax", field=name, line=row + 2,
                                detail=str(exc.problem or exc.context or "syntax error")) from None
    except yaml.YAMLError as exc:
        detail = str(exc).strip().splitlines()[0]
        raise PolicyFormatError(code="front_matter_syntax", field="front_matter", line=2, detail=detail) from None
    if not isinstance(meta, dict):
        raise PolicyFormatError(code="front_matter_not_mapping", field="front_matter")
    return meta


def parse_markdown(text: str, max_bytes: int = MAX_DOC_BYTES) -> PolicyDoc:
    """Markdown with YAML front matter -> a validated PolicyDoc."""
    if len(text.encode("utf-8", "replace")) > max_bytes:
        raise PolicyFormatError(code="text_too_large", field="document", limit=max_bytes)
    match = _FRONT_RE.match(text.replace("\r\n", "\n"))
    if not match:
        raise PolicyFormatError(code="no_front_matter", field="front_matter")
    return from_fields({**read_front_matter(match.group(1)), "body": match.group(2)})


def from_fields(fields: dict[str, Any]) -> PolicyDoc:
    """A dict of fields (front matter keys plus `body`) -> a validated PolicyDoc."""
    raw_id = fields.get("id")
    pid = "" if raw_id is None or isinstance(raw_id, (dict, list)) else str(raw_id).strip()
    if not pid:
        raise PolicyFormatError(code="missing_id", field="id")
    if not ID_RE.match(pid):
        raise PolicyFormatError(code="bad_id", field="id", value=pid[:40])
    for key in _TEXT_KEYS:
        if isinstance(fields.get(key), (dict, list, set, tuple)):
            raise PolicyFormatError(code="not_text", field=key, pid=pid)
    title = _clean(_text(fields.get("title"))).strip()
    if not title:
        raise PolicyFormatError(code="missing_title", field="title", pid=pid)
    body = _clean(_text(fields.get("body"))).strip()
    if not body:
        raise PolicyFormatError(code="empty_body", field="body", pid=pid)
    locale = normalise_locale(_text(fields.get("locale")) or "zh-CN")
    if locale not in LOCALES:
        raise PolicyFormatError(code="unknown_locale", field="locale", pid=pid, value=locale[:20])
    start = parse_date(fields.get("effective_from"), pid, "effective_from")
    end = parse_date(fields.get("effective_to"), pid, "effective_to")
    if start and end and end < start:
        raise PolicyFormatError(code="date_order", field="effective_to", pid=pid, start=start, end=end)
    twin = _text(fields.get("twin")).strip()
    if twin.lower() in _NULLS:
        twin = ""
    if twin and (not ID_RE.match(twin) or twin == pid):
        raise PolicyFormatError(code="bad_id", field="twin", value=twin[:40])
    extra = {k: v for k, v in fields.items() if k not in _TEXT_KEYS}
    return PolicyDoc(
        id=pid, title=title[:200], body=body, locale=locale,
        category=_clean(_text(fields.get("category")) or "general").strip()[:60] or "general",
        version=_version(fields.get("version"), pid), effective_from=start, effective_to=end,
        twin=twin or None, extra=extra,
    )


def normalise_locale(locale: str) -> str:
    """'zh', 'zh-cn', 'zh_CN' -> 'zh-CN'; 'en-US', 'en_gb' -> 'en'; anything else unchanged."""
    key = locale.strip().replace("_", "-").lower()
    if key == "zh" or key.startswith(("zh-cn", "zh-hans")):
        return "zh-CN"
    if key == "en" or key.startswith("en-"):
        return "en"
    return locale.strip()


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _clean(text: str) -> str:
    return _CONTROL_RE.sub("", text)


def _version(value: Any, pid: str) -> int | None:
    if value is None or str(value).strip().lower() in _NULLS:
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        number = int(str(value).strip())
    except ValueError:
        raise PolicyFormatError(code="bad_version", field="version", pid=pid, value=str(value)[:20]) from None
    if not 1 <= number <= MAX_VERSION:
        raise PolicyFormatError(code="bad_version", field="version", pid=pid, value=str(value)[:20])
    return number


def parse_date(value: Any, pid: str, name: str) -> date | None:
    """A date field: YYYY-MM-DD (also 2026/5/1 and 2026年5月1日); empty or null means none."""
    if isinstance(value, date):
        return value
    text = _text(value).strip()
    if text.lower() in _NULLS:
        return None
    match = _DATE_RE.match(text)
    try:
        if match is None:
            raise ValueError
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise PolicyFormatError(code="bad_date", field=name, pid=pid, value=text[:30]) from None


def for_editor(text: str, effective_from: str | date | None, today: date, max_bytes: int = MAX_DOC_BYTES) -> PolicyDoc:
    """A document from the editor: always the next version, effective from `effective_from` (a day from
    today on) or else from today; a date in the document that has passed is an old version's, not this one's."""
    doc = parse_markdown(text, max_bytes)
    doc.version = None
    chosen = parse_date(effective_from, doc.id, "effective_from")
    if chosen is not None and chosen < today:
        raise PolicyFormatError(code="past_date", field="effective_from", value=chosen, today=today)
    if chosen is None:
        chosen = doc.effective_from if doc.effective_from and doc.effective_from > today else today
    if doc.effective_to and doc.effective_to < chosen:
        raise PolicyFormatError(code="date_order", field="effective_to", pid=doc.id, start=chosen,
                                end=doc.effective_to)
    doc.effective_from = chosen
    return doc
