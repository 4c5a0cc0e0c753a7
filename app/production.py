"""What `KEFU_ENV=production` refuses to start with, and the demo-mode warning.

`kefu serve` prints the first problem as one line on stderr and exits with code 2 (interfaces.md,
"Deployment settings"). SECURITY.md explains each rule.
"""

from __future__ import annotations

import ipaddress

from app.accounts import DEMO_PASSWORDS
from app.auth import MIN_PASSWORD_CHARS
from app.settings import Settings

MIN_SECRET_CHARS = 32


def production_problems(settings: Settings) -> list[str]:
    """Each unsafe setting as one line naming it (empty when production may start)."""
    problems = []
    secret = settings.shopper_secret or ""
    if not secret:
        problems.append("KEFU_SHOPPER_SECRET is not set: production needs it to check who a shopper is")
    elif len(secret) < MIN_SECRET_CHARS:
        problems.append(f"KEFU_SHOPPER_SECRET is shorter than {MIN_SECRET_CHARS} characters")
    for field in ("admin_password", "agent_password"):
        name, value = f"KEFU_{field.upper()}", getattr(settings, field)
        if field not in settings.model_fields_set:
            problems.append(f"{name} is not set")
        elif value == DEMO_PASSWORDS[field]:
            problems.append(f"{name} is the demo default")
        elif len(value) < MIN_PASSWORD_CHARS:
            problems.append(f"{name} is shorter than {MIN_PASSWORD_CHARS} characters")
    return problems


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the server on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def demo_warning(settings: Settings, host: str) -> str | None:
    """The loud start-up warning of demo mode bound beyond loopback, or None."""
    if settings.production or is_loopback(host):
        return None
    return (f"WARNING: kefu is in DEMO mode and listens on {host}: anyone who reaches it can chat as any "
            "shopper (including changing orders) and log in with the demo passwords. "
            "Set KEFU_ENV=production (see SECURITY.md) before exposing it.")
