"""Schema migrations on SQLite: `kefu db upgrade` is idempotent, and a data dir made before migrations existed
(its tables there, no version table) is adopted with its rows kept."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from storage.database import Database
from storage.migrate import MIGRATED_PARTS, current, head, upgrade

REPO = Path(__file__).resolve().parents[2]


def test_kefu_db_upgrade_twice_on_a_fresh_data_dir(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "KEFU_DATA_DIR": str(tmp_path), "PYTHONPATH": str(REPO)}
    runs = [subprocess.run([sys.executable, "-m", "app", "db", "upgrade"], cwd=REPO, env=env, capture_output=True,
                           text=True, timeout=300, check=False) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr
    first, second = (json.loads(r.stdout)["parts"] for r in runs)
    for part in MIGRATED_PARTS:
        assert first[part]["from"] is None and first[part]["to"] == head(part)
        assert second[part]["from"] == second[part]["to"] == head(part)
    assert {p.name for p in tmp_path.glob("*.db")} == {"shop.db", "service.db", "kb.db", "checkpoints.db"}


def test_a_data_dir_from_before_migrations_is_adopted(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    old = Database(f"sqlite:///{path}", "shop")
    upgrade(old, revision="s0001")  # the tables kefu created itself before migrations existed
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE alembic_version_shop")
        conn.execute("INSERT INTO categories VALUES ('apparel', '服装', 'apparel', 1)")
        conn.execute("INSERT INTO products VALUES ('AP-1', 'T恤', 'T-shirt', 'apparel', 99.0, 1)")
        conn.executemany("INSERT INTO variants VALUES ('AP-1', 'size', ?, 5)", [("S",), ("M",), ("L",)])
    old.close()
    db = Database(f"sqlite:///{path}", "shop")
    assert current(db) is None
    assert upgrade(db)["to"] == head("shop") == current(db)
    with db.connect() as conn:
        rows = conn.execute("SELECT value FROM variants ORDER BY pos").fetchall()
        assert [r[0] for r in rows] == ["S", "M", "L"], "rows keep their order (pos from the old rowid)"
        assert conn.execute("SELECT COUNT(*) FROM idempotency_keys").fetchone()[0] == 0
    assert upgrade(db)["from"] == head("shop")
