"""Policy documents: parse Markdown with YAML front matter, validate, and write it back."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import yaml

from knowledge.errors import PolicyFormatError

ID_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
LOCALES = ("zh-CN", "en")
MAX_DOC_BYTES = 256 * 1024
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FRONT_RE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.DOTALL)
_KNOWN_KEYS = {"id", "title", "category", "version", "effective_from", "effective_to", "locale"}


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML for front matter: a few plain keys, so anchors and aliases (`&a`, `*a`) are refused; their
    expansion let a few hundred bytes cost seconds of parsing."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(None, None, "anchors and aliases (&, *) are not allowed",
                                              event.start_mark)
        return super().compose_node(parent, index)


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
    extra: dict[str, Any] = field(default_factory=dict)

    def to_markdown(self) -> str:
        """The document as Markdown with front matter (the import format)."""
        meta: dict[str, Any] = {"id": self.id, "title": self.title, "category": self.category}
        if self.version is not None:
            meta["version"] = self.version
        meta["effective_from"] = self.effective_from.isoformat() if self.effective_from else None
        meta["effective_to"] = self.effective_to.isoformat() if self.effective_to else None
        meta["locale"] = self.locale
        head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip()
        return f"---\n{head}\n---\n{self.body}\n"

    def content_key(self) -> tuple[Any, ...]:
        """What decides whether two versions say the same thing."""
        return (
            self.title,
            self.body.strip(),
            self.category,
            self.locale,
            self.effective_from,
            self.effective_to,
        )


def decode_bytes(raw: bytes, max_bytes: int = MAX_DOC_BYTES) -> str:
    """Bytes of a file -> text, refusing binary, non-UTF-8 and oversized input."""
    if len(raw) > max_bytes:
        raise PolicyFormatError(f"document too large ({len(raw)} bytes > {max_bytes} byte limit)")
    if b"\x00" in raw:
        raise PolicyFormatError("binary file (contains NUL bytes), not a Markdown policy")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicyFormatError(f"not UTF-8 text (byte {exc.start})") from None


def parse_markdown(text: str, max_bytes: int = MAX_DOC_BYTES) -> PolicyDoc:
    """Markdown with YAML front matter -> a validated PolicyDoc."""
    if len(text.encode("utf-8")) > max_bytes:
        raise PolicyFormatError(f"document too large (> {max_bytes} byte limit)")
    match = _FRONT_RE.match(text.replace("\r\n", "\n"))
    if not match:
        raise PolicyFormatError("missing YAML front matter (the file must start with a '---' block)")
    try:
        meta = yaml.load(match.group(1), Loader=_FrontMatterLoader)  # a SafeLoader
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()[0]
        raise PolicyFormatError(f"malformed front matter: {first}") from None
    if not isinstance(meta, dict):
        raise PolicyFormatError("malformed front matter: expected 'key: value' lines")
    return from_fields({**meta, "body": match.group(2)})


def from_fields(fields: dict[str, Any]) -> PolicyDoc:
    """A dict of fields (front matter keys plus `body`) -> a validated PolicyDoc."""
    pid = fields.get("id")
    if pid is None or (isinstance(pid, str) and not pid.strip()):
        raise PolicyFormatError("missing id")
    pid = str(pid).strip()
    if not ID_RE.match(pid):
        raise PolicyFormatError(f"bad id {pid[:40]!r}: use lowercase letters, digits and '-' only")
    title = _clean(str(fields.get("title") or "")).strip()
    if not title:
        raise PolicyFormatError(f"{pid}: missing title")
    body = _clean(str(fields.get("body") or "")).strip()
    if not body:
        raise PolicyFormatError(f"{pid}: empty body")
    locale = str(fields.get("locale") or "zh-CN").strip()
    locale = normalise_locale(locale)
    if locale not in LOCALES:
        raise PolicyFormatError(f"{pid}: unknown locale {locale!r} (use zh-CN or en)")
    start, end = _date(fields.get("effective_from"), pid), _date(fields.get("effective_to"), pid)
    if start and end and end < start:
        raise PolicyFormatError(f"{pid}: effective_to {end} is before effective_from {start}")
    extra = {k: v for k, v in fields.items() if k not in _KNOWN_KEYS and k != "body"}
    return PolicyDoc(
        id=pid,
        title=title[:200],
        body=body,
        locale=locale,
        category=_clean(str(fields.get("category") or "general")).strip()[:60] or "general",
        version=_version(fields.get("version"), pid),
        effective_from=start,
        effective_to=end,
        extra=extra,
    )


def normalise_locale(locale: str) -> str:
    """'zh', 'zh-cn', 'zh_CN' -> 'zh-CN'; 'en-US', 'en_gb' -> 'en'; anything else unchanged."""
    key = locale.strip().replace("_", "-").lower()
    if key == "zh" or key.startswith(("zh-cn", "zh-hans")):
        return "zh-CN"
    if key == "en" or key.startswith("en-"):
        return "en"
    return locale.strip()


def _clean(text: str) -> str:
    return _CONTROL_RE.sub("", text)


def _version(value: Any, pid: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise PolicyFormatError(f"{pid}: version must be a positive integer")
    try:
        number = int(value)
    except ValueError:
        raise PolicyFormatError(f"{pid}: version must be a positive integer, got {value!r}") from None
    if number < 1:
        raise PolicyFormatError(f"{pid}: version must be a positive integer")
    return number


def _date(value: Any, pid: str) -> date | None:
    if value is None or value == "" or str(value).lower() in {"null", "none"}:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise PolicyFormatError(f"{pid}: bad date {str(value)[:30]!r} (use YYYY-MM-DD)") from None


def for_editor(text: str, effective_from: date | None = None, max_bytes: int = MAX_DOC_BYTES) -> PolicyDoc:
    """A document from the editor: always the next version, optionally scheduled from a day."""
    doc = parse_markdown(text, max_bytes)
    doc.version = None
    if effective_from is not None:
        if doc.effective_to and doc.effective_to < effective_from:
            raise PolicyFormatError(f"{doc.id}: effective_to {doc.effective_to} is before {effective_from}")
        doc.effective_from = effective_from
    return doc
