"""Accounts, roles and session tokens of the people who run the shop (editors, agents, admins).

Accounts live in the service database (a SQLite file under the data dir, or Postgres) so that every
process and node of a shop sees the same logins. Passwords are hashed with scrypt and a per-user
salt; session tokens are random and only their SHA-256 is stored, with an expiry. A new password or a
disabled account ends that account's sessions. Wrong passwords are counted under the login as it is
looked up (NFKC-normalised), so a look-alike spelling of a locked login is locked too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from app.settings import Settings
from storage import Database, open_database
from storage.database import Conn

ROLES = ("editor", "agent", "admin")
"""Known roles. `admin` passes every role check (see `Account.has_role`)."""

DEFAULT_TOKEN_TTL_S = 12 * 3600.0
MAX_FAILED_LOGINS = 5
"""Wrong passwords for one login within LOCKOUT_WINDOW_S before further attempts are refused."""
LOCKOUT_WINDOW_S = 300.0
MAX_LOGIN_CHARS = 64
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024

_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}



class AuthError(ValueError):
    """Bad account data (empty login, unknown role, ...): the message is safe to show."""


@dataclass(frozen=True)
class Account:
    """A logged-in person: a login and the roles it holds."""

    login: str
    roles: tuple[str, ...]
    disabled: bool = False

    def has_role(self, role: str) -> bool:
        """True when the account holds `role`; admins hold every role."""
        return role in self.roles or "admin" in self.roles


@contextmanager
def service_db(db: Database) -> Iterator[Conn]:
    """The service database in a transaction committed on exit."""
    with db.transaction(immediate=False) as conn:
        yield conn


def _hash_password(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _clean_login(login: str) -> str:
    """Normalise a login; raise AuthError when it cannot be one."""
    if not isinstance(login, str):
        raise AuthError("login must be text")
    login = unicodedata.normalize("NFKC", login).strip()
    if not login:
        raise AuthError("login is empty")
    if len(login) > MAX_LOGIN_CHARS:
        raise AuthError(f"login is longer than {MAX_LOGIN_CHARS} characters")
    if any(unicodedata.category(ch).startswith("C") or ch.isspace() for ch in login):
        raise AuthError("login may not contain spaces or control characters")
    return login


def failure_key(login: object) -> str:
    """The key wrong passwords are counted under: the login as the account lookup sees it (NFKC)."""
    if not isinstance(login, str):
        return ""
    try:
        return _clean_login(login)
    except AuthError:
        return unicodedata.normalize("NFKC", login).strip()[:MAX_LOGIN_CHARS]


def check_password(password: object) -> str:
    """The password when it is acceptable for a new or reset account; AuthError (safe to show) otherwise."""
    if not isinstance(password, str) or not password:
        raise AuthError("password is empty")
    if len(password) < MIN_PASSWORD_CHARS:
        raise AuthError(f"password is shorter than {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise AuthError(f"password is longer than {MAX_PASSWORD_CHARS} characters")
    return password


def _clean_roles(roles: Iterable[str]) -> tuple[str, ...]:
    out = tuple(sorted({str(r).strip() for r in roles}))
    unknown = [r for r in out if r not in ROLES]
    if unknown:
        raise AuthError(f"unknown role(s): {', '.join(unknown)}; known: {', '.join(ROLES)}")
    if not out:
        raise AuthError("an account needs at least one role")
    return out


class AuthStore:
    """Accounts and tokens of one shop, stored in its service database (SQLite file or Postgres)."""

    def __init__(
        self,
        settings: Settings,
        token_ttl_s: float = DEFAULT_TOKEN_TTL_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.db = open_database(settings, "service")  # the schema, `disabled` included, comes from migrations
        self.token_ttl_s = token_ttl_s
        self._clock = clock

    # accounts -----------------------------------------------------------------------------
    def create_account(self, login: str, password: str, roles: Iterable[str], *, strength: bool = True) -> Account:
        """Create an account, or set a new password and roles for an existing one (ending its sessions).

        `strength=False` skips the length rule; only the documented demo accounts use it (app/accounts.py)."""
        login = _clean_login(login)
        if strength:
            check_password(password)
        elif not isinstance(password, str) or not password or len(password) > MAX_PASSWORD_CHARS:
            raise AuthError("password is empty or too long")
        clean_roles = _clean_roles(roles)
        salt = secrets.token_bytes(16)
        with service_db(self.db) as conn:
            conn.execute(
                "INSERT INTO accounts(login, salt, pw_hash, roles, created_at) VALUES (?,?,?,?,?) "
                "ON CONFLICT(login) DO UPDATE SET salt=excluded.salt, pw_hash=excluded.pw_hash, "
                "roles=excluded.roles",
                (login, salt, _hash_password(password, salt), json.dumps(clean_roles), self._clock()),
            )
            conn.execute("DELETE FROM auth_tokens WHERE login=?", (login,))
        return Account(login, clean_roles)

    def set_roles(self, login: str, roles: Iterable[str]) -> Account:
        """Change the roles of an existing account (sessions end, so no token keeps a dropped role)."""
        account = self._existing(login)
        clean_roles = _clean_roles(roles)
        with service_db(self.db) as conn:
            conn.execute("UPDATE accounts SET roles=? WHERE login=?", (json.dumps(clean_roles), account.login))
            conn.execute("DELETE FROM auth_tokens WHERE login=?", (account.login,))
        return Account(account.login, clean_roles, account.disabled)

    def set_disabled(self, login: str, disabled: bool) -> Account:
        """Disable an account (it can no longer log in, its sessions end) or enable it again."""
        account = self._existing(login)
        with service_db(self.db) as conn:
            conn.execute("UPDATE accounts SET disabled=? WHERE login=?", (int(disabled), account.login))
            if disabled:
                conn.execute("DELETE FROM auth_tokens WHERE login=?", (account.login,))
        return Account(account.login, account.roles, disabled)

    def _existing(self, login: str) -> Account:
        account = self.get_account(login)
        if account is None:
            raise AuthError(f"unknown account: {login!r}")
        return account

    def get_account(self, login: str) -> Account | None:
        """The account called `login`, or None."""
        try:
            login = _clean_login(login)
        except AuthError:
            return None
        with service_db(self.db) as conn:
            row = conn.execute("SELECT login, roles, disabled FROM accounts WHERE login=?", (login,)).fetchone()
        return Account(row[0], tuple(json.loads(row[1])), bool(row[2])) if row else None

    def list_accounts(self, role: str | None = None) -> list[Account]:
        """All accounts, optionally only those holding `role` (admins excluded from the filter)."""
        with service_db(self.db) as conn:
            rows = conn.execute("SELECT login, roles, disabled FROM accounts ORDER BY login").fetchall()
        accounts = [Account(r[0], tuple(json.loads(r[1])), bool(r[2])) for r in rows]
        return [a for a in accounts if role is None or role in a.roles]

    def password_matches(self, login: str, password: str) -> bool:
        """Whether `password` is the stored one of `login` (no lockout bookkeeping: for start-up checks)."""
        with service_db(self.db) as conn:
            row = conn.execute("SELECT salt, pw_hash FROM accounts WHERE login=?", (failure_key(login),)).fetchone()
        return bool(row) and hmac.compare_digest(_hash_password(password, row[0]), row[1])

    def locked_for(self, login: str) -> float:
        """Seconds until `login` may try again after too many wrong passwords (0 when it may now)."""
        key = failure_key(login)
        since = self._clock() - LOCKOUT_WINDOW_S
        with service_db(self.db) as conn:
            rows = conn.execute(
                "SELECT at FROM login_failures WHERE login=? AND at > ? ORDER BY at DESC", (key, since)
            ).fetchall()
        if len(rows) < MAX_FAILED_LOGINS:
            return 0.0
        return max(rows[MAX_FAILED_LOGINS - 1][0] - since, 0.0)

    def verify(self, login: str, password: str) -> Account | None:
        """The account when login and password match, else None.

        Unknown logins cost the same work as known ones; after MAX_FAILED_LOGINS wrong passwords
        in LOCKOUT_WINDOW_S every attempt for that login (however it is spelled) fails until the window
        moves on. A disabled account never logs in.
        """
        key = failure_key(login)
        try:
            login = _clean_login(login)
        except AuthError:
            login = ""
        with service_db(self.db) as conn:
            row = conn.execute("SELECT salt, pw_hash, roles FROM accounts WHERE login=? AND disabled=0",
                               (login,)).fetchone()
        pw = password if isinstance(password, str) else ""
        salt, stored = (row[0], row[1]) if row else (b"\0" * 16, b"\0" * 32)
        ok = hmac.compare_digest(_hash_password(pw[: MAX_PASSWORD_CHARS + 1], salt), stored)
        locked = self.locked_for(key) > 0
        if row and ok:
            if locked:
                return None
            with service_db(self.db) as conn:
                conn.execute("DELETE FROM login_failures WHERE login=?", (key,))
            return Account(login, tuple(json.loads(row[2])))
        with service_db(self.db) as conn:
            conn.execute("DELETE FROM login_failures WHERE at <= ?", (self._clock() - LOCKOUT_WINDOW_S,))
            conn.execute("INSERT INTO login_failures(login, at) VALUES (?, ?)", (key, self._clock()))
        return None

    # tokens -------------------------------------------------------------------------------
    def issue_token(self, login: str) -> str:
        """A new session token for an existing account (only its hash is stored)."""
        account = self._existing(login)
        if account.disabled:
            raise AuthError(f"account {account.login!r} is disabled")
        token = secrets.token_urlsafe(32)
        now = self._clock()
        with service_db(self.db) as conn:
            conn.execute("DELETE FROM auth_tokens WHERE expires_at <= ?", (now,))
            conn.execute(
                "INSERT INTO auth_tokens(token_hash, login, expires_at, created_at) VALUES (?,?,?,?)",
                (_hash_token(token), account.login, now + self.token_ttl_s, now),
            )
        return token

    def account_for_token(self, token: str | None) -> Account | None:
        """The account a live token belongs to; None for unknown, revoked or expired tokens."""
        if not token or not isinstance(token, str) or len(token) > 256:
            return None
        with service_db(self.db) as conn:
            row = conn.execute(
                "SELECT a.login, a.roles, t.expires_at FROM auth_tokens t "
                "JOIN accounts a ON a.login = t.login WHERE t.token_hash=? AND a.disabled=0",
                (_hash_token(token),),
            ).fetchone()
        if row is None or row[2] <= self._clock():
            return None
        return Account(row[0], tuple(json.loads(row[1])))

    def revoke(self, token: str | None) -> bool:
        """Forget a token (logout); True when it existed."""
        if not token or not isinstance(token, str):
            return False
        with service_db(self.db) as conn:
            cur = conn.execute("DELETE FROM auth_tokens WHERE token_hash=?", (_hash_token(token),))
        return cur.rowcount > 0
