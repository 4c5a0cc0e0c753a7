"""Folder imports: bad files are reported, the rest import, an interrupted import is all-or-nothing per doc."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from kbtools import policy_md

from knowledge import KbError, import_path, open_kb


def _write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_folder_import_reports_every_bad_file_and_keeps_the_good(empty_kb, tmp_path: Path) -> None:
    src = tmp_path / "policies"
    _write(src, "a.md", policy_md("ship-fee", "运费", "满99元包邮，不满收8元。"))
    _write(src, "sub/b.md", policy_md("invoice", "发票", "付款后180天内可开电子发票。"))
    _write(src, "c.md", "---\nid: [broken\n---\n正文")
    _write(src, "d.md", policy_md("", "无id", "正文"))
    _write(src, "e.md", policy_md("Bad Id", "坏id", "正文"))
    _write(src, "f.md", policy_md("empty", "空", "  "))
    _write(src, "g.md", policy_md("ship-fee", "运费重复", "另一份。"))
    _write(src, "h.md", policy_md("huge", "很大", "长" * 400_000))
    _write(src, "i.md", b"\x00\x01\x02binary\xff")
    _write(src, "notes.txt", "not a policy, not imported")
    summary = import_path(empty_kb, src, "importer")
    assert (summary["imported"], summary["updated"]) == (2, 0)
    errors = {Path(r["file"]).name: r["error"] for r in summary["rejected"]}
    assert set(errors) == {"c.md", "d.md", "e.md", "f.md", "g.md", "h.md", "i.md"}
    assert "malformed front matter" in errors["c.md"] and "missing id" in errors["d.md"]
    assert "bad id" in errors["e.md"] and "empty body" in errors["f.md"]
    assert "duplicate id" in errors["g.md"] and "too large" in errors["h.md"] and "binary" in errors["i.md"]
    assert sorted(p["policy_id"] for p in empty_kb.list()) == ["invoice", "ship-fee"]
    again = import_path(empty_kb, src, "importer")
    assert (again["imported"], again["updated"], again["unchanged"]) == (0, 0, 2)


def test_missing_path_is_a_clear_error(empty_kb, tmp_path: Path) -> None:
    with pytest.raises(KbError, match="no such file"):
        import_path(empty_kb, tmp_path / "nothing-here", "x")


def test_interrupted_import_leaves_each_document_old_or_new(
    empty_kb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "v1"
    for i in range(4):
        _write(src, f"p{i}.md", policy_md(f"p{i}", f"政策{i}", f"第{i}条政策：旧版本内容，期限7天。"))
    import_path(empty_kb, src, "a")
    for i in range(4):
        _write(src, f"p{i}.md", policy_md(f"p{i}", f"政策{i}", f"第{i}条政策：新版本内容，期限15天。"))
    real_upsert = empty_kb.vectors.upsert
    calls = {"n": 0}

    def upsert_then_die(*args, **kwargs):  # the process is interrupted while writing p2 and p3
        calls["n"] += 1
        real_upsert(*args, **kwargs)
        if calls["n"] == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(empty_kb.vectors, "upsert", upsert_then_die)
    with pytest.raises(KeyboardInterrupt):
        import_path(empty_kb, src, "b", batch=2)
    monkeypatch.undo()
    versions = empty_kb.versions_of([f"p{i}" for i in range(4)])
    assert versions == {"p0": 2, "p1": 2, "p2": 1, "p3": 1}
    for i in range(4):
        doc = empty_kb.get(f"p{i}")
        assert ("新版本" in doc["body"]) == (i < 2)
        hits = [h for h in empty_kb.search(f"第{i}条政策 期限", k=4) if h["policy_id"] == f"p{i}"]
        assert hits and hits[0]["version"] == versions[f"p{i}"]
        assert ("15天" in hits[0]["text"]) == (i < 2)
    repaired = empty_kb.sync_vectors()
    assert repaired["removed_chunks"] >= 1  # the half-written version's orphan chunks
    assert import_path(empty_kb, src, "b")["updated"] == 2


def test_lost_chroma_folder_is_rebuilt_from_sqlite(kb_settings, tmp_path: Path) -> None:
    from app.settings import Settings

    kb = open_kb(kb_settings, seed_demo=False)
    kb.publish(policy_md("invoice", "发票", "付款后180天内可开电子发票。"), "a")
    kb.vectors.reopen()
    moved = Settings(data_dir=tmp_path / "copy")
    shutil.copytree(kb_settings.data_dir, moved.data_dir)
    shutil.rmtree(moved.chroma_path)
    copy = open_kb(moved, seed_demo=False)
    assert copy.search("怎么开发票", k=1)[0]["policy_id"] == "invoice"
