"""The category pilot: which product categories kefu serves, which go to humans, which are split.

Settings live in the service database next to the tickets (`pilot_settings`, one row a category and
`*` for the default; a SQLite file or Postgres) with every change in `pilot_audit`; this module is their
only reader and writer. The categories and an order's categories come from the shop (app/shop).
Each turn reads them afresh (graph/ports.py `PilotDesk`), so `kefu pilot set` or the console changes
the next turn of every process sharing the shop. The rule itself lives in graph/escalation.py.

Modes: `bot` (kefu serves), `human` (turns about the category's orders hand off with reason "pilot"),
`split` with `share`: the share of shoppers the bot serves, each shopper always on the same side.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import OrderedDict
from typing import Any

from app.settings import Settings
from storage import open_database

MODES = ("bot", "human", "split")
DEFAULT_KEY = "*"
DEFAULT_SPLIT_SHARE = 0.5
MAX_ACTOR_CHARS = 64
_CATEGORY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")



class PilotError(ValueError):
    """A pilot setting that cannot be stored (unknown mode or category, bad share); safe to show."""


def _setting(mode: str, share: float | None) -> dict[str, Any]:
    return {"mode": mode, "share": share} if mode == "split" else {"mode": mode}


def check_setting(mode: Any, share: Any) -> dict[str, Any]:
    """The setting `{"mode", "share"?}` for a mode and share, or PilotError naming what is wrong."""
    if mode not in MODES:
        raise PilotError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    if mode != "split":
        if share is not None:
            raise PilotError("share only applies to mode split")
        return _setting(mode, None)
    if share is None:
        share = DEFAULT_SPLIT_SHARE
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0.0 <= float(share) <= 1.0:
        raise PilotError(f"share must be a number from 0 to 1 (the share of shoppers the bot serves), got {share!r}")
    return _setting(mode, float(share))


class PilotStore:
    """The pilot settings of one shop (shared by every process of the shop)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.db = open_database(settings, "service")

    def show(self) -> dict[str, Any]:
        """`{"default": {"mode"}, "categories": {CATEGORY: {"mode", "share"?}}}` as in force now."""
        with self.db.connect() as conn:
            rows = conn.execute("SELECT category, mode, share FROM pilot_settings ORDER BY category").fetchall()
        settings = {row[0]: _setting(row[1], row[2]) for row in rows}
        return {"default": settings.pop(DEFAULT_KEY, {"mode": "bot"}), "categories": settings}

    def known_categories(self) -> list[str]:
        """The shop's product categories (its catalogue, through the shop's order system)."""
        from app.shop import ShopError, open_shop

        try:
            return [row["category"] for row in open_shop(self.settings).categories()]
        except ShopError as exc:
            raise PilotError(f"the shop's categories cannot be read now: {exc}") from exc

    def _category(self, category: Any) -> str:
        if category is None:
            return DEFAULT_KEY
        if not isinstance(category, str) or not _CATEGORY.match(category):
            raise PilotError(f"category must be a catalogue key such as fresh or books, got {category!r}")
        known = self.known_categories()
        if category not in known:
            raise PilotError(f"unknown category {category!r}: the shop's categories are {', '.join(known)}")
        return category

    def set(self, category: str | None, mode: Any, share: Any = None, actor: str = "cli") -> dict[str, Any]:
        """Set the mode of a category (None: the default for every other category); audited.

        Answers the settings now in force plus `changed` (what was there before and after)."""
        key = self._category(category)
        setting = check_setting(mode, share)
        who = str(actor or "").strip()[:MAX_ACTOR_CHARS] or "unknown"
        now = time.time()
        with self.db.transaction() as conn:
            row = conn.execute("SELECT mode, share FROM pilot_settings WHERE category=?", (key,)).fetchone()
            before = _setting(row[0], row[1]) if row else None
            conn.execute(
                "INSERT INTO pilot_settings(category, mode, share, updated_at, updated_by) VALUES (?,?,?,?,?) "
                "ON CONFLICT(category) DO UPDATE SET mode=excluded.mode, share=excluded.share, "
                "updated_at=excluded.updated_at, updated_by=excluded.updated_by",
                (key, setting["mode"], setting.get("share"), now, who))
            conn.execute("INSERT INTO pilot_audit(at, actor, category, before, after) VALUES (?,?,?,?,?)",
                         (now, who, key, json.dumps(before) if before else None, json.dumps(setting)))
        label = "default" if key == DEFAULT_KEY else key
        return {**self.show(), "changed": {"category": label, "before": before, "after": setting}}

    def history(self, limit: int = 200) -> list[dict[str, Any]]:
        """Every change, newest first: at (epoch seconds), actor, category ("default" for `*`), before, after."""
        with self.db.connect() as conn:
            rows = conn.execute("SELECT at, actor, category, before, after FROM pilot_audit ORDER BY id DESC LIMIT ?",
                                (max(1, min(int(limit), 10_000)),)).fetchall()
        return [{"at": r[0], "actor": r[1], "category": "default" if r[2] == DEFAULT_KEY else r[2],
                 "before": json.loads(r[3]) if r[3] else None, "after": json.loads(r[4])} for r in rows]


class ShopPilot:
    """`PilotDesk` (graph/ports.py) over the pilot settings and the shop's orders."""

    _UNREACHABLE_S = 10.0
    """How long an order read that failed is not tried again (the turn's action tries it and tells the customer)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: PilotStore | None = None
        self._categories: OrderedDict[str, list[str]] = OrderedDict()  # an order's categories never change
        self._failed: dict[str, float] = {}
        self._lock = threading.Lock()

    def pilot_settings(self) -> dict[str, Any]:
        if self._store is None:
            self._store = PilotStore(self.settings)
        return self._store.show()

    def order_categories(self, user_id: str, order_id: str) -> list[str]:
        from app.shop import ShopError, open_shop

        key = f"{user_id}\x1f{order_id}"
        with self._lock:
            if key in self._categories:
                return self._categories[key]
            if time.monotonic() - self._failed.get(key, float("-inf")) < self._UNREACHABLE_S:
                return []
        try:
            order = open_shop(self.settings).order(str(order_id))
        except ShopError:  # the order system is not answering: the action will say so; no pilot decision
            with self._lock:
                if len(self._failed) > 4096:
                    self._failed.clear()
                self._failed[key] = time.monotonic()
            return []
        if order is None or order["user_id"] != user_id:
            return []
        categories = list(dict.fromkeys(item["category"] for item in order["items"] if item.get("category")))
        with self._lock:
            self._failed.pop(key, None)
            self._categories[key] = categories
            while len(self._categories) > 4096:
                self._categories.popitem(last=False)
        return categories
