"""AuthStore: password checks, tokens, expiry, revocation, default accounts."""

from __future__ import annotations

import sqlite3

import pytest

from app.accounts import reconcile_accounts
from app.auth import Account, AuthError, AuthStore
from app.settings import Settings


class Clock:
    """A settable clock, so expiry is tested without sleeping."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_verify_accepts_right_password_only(settings: Settings) -> None:
    store = AuthStore(settings)
    store.create_account("alice", "s3cret-pw-long", ["agent"])
    assert store.verify("alice", "s3cret-pw-long") == Account("alice", ("agent",))
    assert store.verify("alice", "s3cret-PW-long") is None
    assert store.verify("alice", "") is None
    assert store.verify("bob", "s3cret-pw-long") is None
    assert store.verify("", "x") is None
    assert store.verify("a\x00lice", "s3cret-pw-long") is None


def test_passwords_are_salted_hashes(settings: Settings) -> None:
    store = AuthStore(settings)
    store.create_account("a1", "same-password-1", ["agent"])
    store.create_account("a2", "same-password-1", ["agent"])
    with sqlite3.connect(settings.service_path) as conn:
        rows = conn.execute("SELECT salt, pw_hash FROM accounts ORDER BY login").fetchall()
    assert rows[0][0] != rows[1][0] and rows[0][1] != rows[1][1]
    assert b"same-password-1" not in rows[0][1]


def test_token_round_trip_and_revoke(settings: Settings) -> None:
    store = AuthStore(settings)
    store.create_account("alice", "long-enough-pw", ["editor"])
    token = store.issue_token("alice")
    assert store.account_for_token(token) == Account("alice", ("editor",))
    with sqlite3.connect(settings.service_path) as conn:
        stored = [r[0] for r in conn.execute("SELECT token_hash FROM auth_tokens")]
    assert token not in stored
    assert store.revoke(token) is True
    assert store.account_for_token(token) is None
    assert store.revoke(token) is False


def test_token_expires(settings: Settings) -> None:
    clock = Clock()
    store = AuthStore(settings, token_ttl_s=60, clock=clock)
    store.create_account("alice", "long-enough-pw", ["agent"])
    token = store.issue_token("alice")
    clock.now += 59
    assert store.account_for_token(token) is not None
    clock.now += 2
    assert store.account_for_token(token) is None


def test_bad_tokens_and_unknown_accounts(settings: Settings) -> None:
    store = AuthStore(settings)
    assert store.account_for_token("") is None
    assert store.account_for_token(None) is None
    assert store.account_for_token("x" * 10_000) is None
    assert store.account_for_token("not-a-token") is None
    with pytest.raises(AuthError, match="unknown account"):
        store.issue_token("nobody")


@pytest.mark.parametrize(
    ("login", "password", "roles", "message"),
    [
        ("", "pw", ["agent"], "empty"),
        ("   ", "pw", ["agent"], "empty"),
        ("bad login", "pw", ["agent"], "spaces"),
        ("x" * 65, "pw", ["agent"], "longer"),
        ("ok", "", ["agent"], "password is empty"),
        ("ok", "long-enough-pw", ["root"], "unknown role"),
        ("ok", "eleven-char", ["agent"], "shorter than 12"),
        ("ok", "long-enough-pw", [], "at least one role"),
    ],
)
def test_bad_account_data_is_refused(settings: Settings, login, password, roles, message) -> None:
    with pytest.raises(AuthError, match=message):
        AuthStore(settings).create_account(login, password, roles)


def test_configured_accounts_follow_the_settings(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path, admin_password="first-admin-pw", agent_password="first-agent-pw")
    store = reconcile_accounts(settings)
    admin = store.verify(settings.admin_user, "first-admin-pw")
    agent = store.verify(settings.agent_user, "first-agent-pw")
    assert admin is not None and admin.roles == ("editor",)  # not admin unless asked
    assert agent is not None and agent.roles == ("agent",)
    store.create_account(settings.agent_user, "changed-by-hand", ["agent"])
    reconcile_accounts(settings)  # the password set in the environment wins at the next start
    assert store.verify(settings.agent_user, "first-agent-pw") is not None
    asked = Settings(data_dir=tmp_path, admin_password="first-admin-pw", admin_is_admin=True)
    assert set(reconcile_accounts(asked).get_account("editor").roles) == {"editor", "admin"}


def test_demo_defaults_do_not_overwrite_a_changed_password(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path)
    store = reconcile_accounts(settings)
    assert store.verify("agent", "agent-demo") is not None  # the documented demo login works in demo mode
    store.create_account("agent", "changed-by-hand", ["agent"])
    reconcile_accounts(Settings(data_dir=tmp_path))
    assert store.verify("agent", "changed-by-hand") is not None


def test_admin_holds_every_role() -> None:
    assert Account("root", ("admin",)).has_role("agent")
    assert not Account("ed", ("editor",)).has_role("agent")


def test_repeated_wrong_passwords_lock_the_login_for_a_while(settings: Settings) -> None:
    clock = Clock()
    store = AuthStore(settings, clock=clock)
    store.create_account("alice", "right-password", ["agent"])
    store.create_account("bob", "right-password", ["agent"])
    for _ in range(5):
        assert store.verify("alice", "guess") is None
        clock.now += 1
    assert store.locked_for("alice") > 0
    assert store.verify("alice", "right-password") is None  # the right password does not help while locked
    assert store.verify("bob", "right-password") is not None  # other logins are not affected
    clock.now += 301
    assert store.locked_for("alice") == 0
    assert store.verify("alice", "right-password") is not None
    assert (
        store.verify("alice", "guess") is None and store.locked_for("alice") == 0
    )  # success reset the count
