"""The two configured accounts (first editor, first agent), reconciled with the settings at start-up.

The environment owns them: at every start (`kefu serve`, or the first request of an app built without
its lifespan) each is created when missing, gets the configured roles, and gets the configured password
when `KEFU_ADMIN_PASSWORD` / `KEFU_AGENT_PASSWORD` is set explicitly and differs from the stored one (which
ends that account's sessions). Left at their demo defaults, a password changed with `kefu accounts
passwd` stays. Other accounts are managed with `kefu accounts` (app/cli/accounts.py) or the admin API.
"""

from __future__ import annotations

import logging

from app.auth import AuthStore
from app.settings import Settings

DEMO_PASSWORDS = {"admin_password": "editor-demo", "agent_password": "agent-demo"}
"""The documented demo logins' passwords: only accepted in demo mode (app/production.py refuses them)."""
logger = logging.getLogger(__name__)


def configured_accounts(settings: Settings) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(setting name, login, password, roles) of the accounts the settings define."""
    editor_roles = ("editor", "admin") if settings.admin_is_admin else ("editor",)
    return [("admin_password", settings.admin_user, settings.admin_password, editor_roles),
            ("agent_password", settings.agent_user, settings.agent_password, ("agent",))]


def reconcile_accounts(settings: Settings, store: AuthStore | None = None) -> AuthStore:
    """Bring the configured accounts in line with the settings (see the module docstring)."""
    store = store or AuthStore(settings)
    for field, login, password, roles in configured_accounts(settings):
        demo = password == DEMO_PASSWORDS[field] and not settings.production
        account = store.get_account(login)
        if account is None:
            store.create_account(login, password, roles, strength=not demo)
            continue
        explicit = field in settings.model_fields_set
        if explicit and not store.password_matches(login, password):
            store.create_account(login, password, roles, strength=not demo)
            logger.warning("password of %r reset from the settings; its sessions ended", login)
        elif set(account.roles) != set(roles):
            store.set_roles(login, roles)
            logger.warning("roles of %r set to %s from the settings", login, ", ".join(roles))
    return store
