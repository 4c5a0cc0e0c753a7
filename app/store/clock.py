"""Shop time: naive datetimes in China Standard Time, stored as ISO strings."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

SHOP_TZ = timezone(timedelta(hours=8))
TIME_FMT = "%Y-%m-%d %H:%M:%S"


def shop_now() -> datetime:
    """The current shop-local time, to the second."""
    return datetime.now(SHOP_TZ).replace(tzinfo=None, microsecond=0)


def fmt(moment: datetime | None) -> str | None:
    """A datetime as the store writes it (None stays None)."""
    return moment.strftime(TIME_FMT) if moment else None


def parse(text: str | None) -> datetime | None:
    """A stored time string back to a datetime (None stays None)."""
    return datetime.strptime(text, TIME_FMT) if text else None


def add_working_days(start: datetime, days: int) -> datetime:
    """`start` moved forward by `days` working days (Monday-Friday)."""
    moment = start
    left = days
    while left > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            left -= 1
    return moment
