"""Where an evaluation runs: in-process on a throw-away shop, or against a running `kefu serve`.

By default every run gets a fresh temporary data dir (a new demo shop and demo policies), so an
evaluation never touches a real shop's data; the trained models of settings.data_dir (models/) are
linked in read-only use, so the run measures the models the shop actually serves. `source` copies an
existing data dir first;
`in_place` uses settings.data_dir itself (it WILL change that shop's orders). Links inside a copied
data dir (such as a linked models/ folder) stay links.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.client import ChatClient, http_client, inprocess_client
from evals.store_probe import StoreProbe

_COPY_IGNORE = shutil.ignore_patterns("*.lock", "*.tmp-*", "*-journal")


@dataclass
class EvalEnv:
    """A shop to evaluate (its settings) and how to reach it."""

    settings: Any
    base_url: str | None = None
    cleanup: list[Callable[[], None]] = field(default_factory=list)
    policy_change: Any = None
    """A live policy change made during the run (stress suite), restored on close."""
    _clients: list[ChatClient] = field(default_factory=list)

    @property
    def mode(self) -> str:
        return "http" if self.base_url else "in-process"

    def client(self) -> ChatClient:
        """A chat client for this shop (one in-process app is shared by all clients)."""
        if self.base_url:
            return http_client(self.base_url)
        if not self._clients:
            self._clients.append(inprocess_client(self.settings))
        return self._clients[0]

    def probe(self) -> StoreProbe | None:
        """Read-only store view for verdicts (None when the shop's store is not reachable here)."""
        path = Path(self.settings.store_path)
        return StoreProbe(path) if path.exists() else None

    def close(self) -> None:
        for client in self._clients:
            client.close()
        self._clients.clear()
        for fn in reversed(self.cleanup):
            fn()
        self.cleanup.clear()


def open_env(
    settings: Any, base_url: str | None = None, source: Path | None = None, in_place: bool = False
) -> EvalEnv:
    """Prepare the shop the run talks to (see module docstring for the data-dir choices)."""
    if base_url:
        return EvalEnv(settings=settings, base_url=base_url)
    if in_place:
        env = EvalEnv(settings=settings)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="kefu-eval-"))
        data_dir = tmp / "data"
        if source is not None:
            if not Path(source).is_dir():
                raise FileNotFoundError(f"no data dir at {source}")
            shutil.copytree(source, data_dir, ignore=_COPY_IGNORE, symlinks=True)
        else:
            data_dir.mkdir(parents=True)
            _link_models(Path(settings.models_dir), data_dir / "models")
        env = EvalEnv(settings=settings.model_copy(update={"data_dir": data_dir}))
        env.cleanup.append(lambda: shutil.rmtree(tmp, ignore_errors=True))
        env.cleanup.append(lambda: _close_store(env.settings.store_path))
    from app.store import ensure_demo_store

    ensure_demo_store(env.settings)
    return env


def shop_template(settings: Any, source: Path | None = None) -> tuple[Path, Callable[[], None]]:
    """A prepared fresh shop (store generated, policies indexed) to copy for each scenario, and its cleanup.

    Copying it costs a fraction of a second where generating a shop and indexing its policies costs
    seconds, so suites that reset the shop per conversation (scenarios) stay fast."""
    env = open_env(settings, None, source, False)
    try:
        env.client()  # the app's startup imports and indexes the demo policies
        for client in env._clients:
            client.close()
        env._clients.clear()
        _close_store(env.settings.store_path)
        folder = Path(tempfile.mkdtemp(prefix="kefu-eval-template-"))
        shutil.copytree(env.settings.data_dir, folder / "data", ignore=_COPY_IGNORE, symlinks=True)
    finally:
        env.close()
    return folder / "data", lambda: shutil.rmtree(folder, ignore_errors=True)


def _close_store(path: Path) -> None:
    """Close the cached store connection of a temporary shop before its folder is removed."""
    from app.store import open_store

    if Path(path).exists():
        open_store(path).close()


def _link_models(models: Path, target: Path) -> None:
    """Let the temporary shop use the real shop's trained artifacts (a link: nothing is copied)."""
    if models.is_dir():
        target.symlink_to(models.resolve(), target_is_directory=True)
