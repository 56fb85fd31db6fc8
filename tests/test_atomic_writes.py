"""One module writes files atomically (temp file, fsync, rename, folder fsync) for every writer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import agent_desk
from agent_desk import atomic

PACKAGE = Path(agent_desk.__file__).parent
# Moves of a whole database aside during a restore are renames, not writes.
ALLOWED = {"atomic.py": None, "services/backup.py": "os.replace(data.database, aside)"}
PATTERNS = (
    r"os\.replace\(",
    r"os\.rename\(",
    r"tempfile\.mkstemp\(",
    r"with_suffix\(\"\.tmp\"\)",
    r"\+ \"\.part\"\)",
    r"\.replace\((path|target|tmp|work|partial)\)",
)


def _writers() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name == "atomic.py" or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(re.search(p, line) for p in PATTERNS) and not line.lstrip().startswith("#"):
                allowed = ALLOWED.get(name)
                if allowed and (allowed in line or "os.replace(side" in line):
                    continue
                found.setdefault(name, []).append(f"{number}: {line.strip()}")
    return found


def test_no_module_writes_its_own_temp_file_and_rename() -> None:
    assert _writers() == {}


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic.writing(target) as handle:
        handle.write(b"half")
        raise RuntimeError("killed")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_a_write_replaces_the_file_and_syncs_its_folder(tmp_path: Path, monkeypatch) -> None:
    synced: list[Path] = []
    real = atomic.fsync_folder
    monkeypatch.setattr(
        atomic, "fsync_folder", lambda folder: (synced.append(folder), real(folder))
    )
    target = tmp_path / "key.json"
    atomic.write_text(target, "新")
    atomic.write_with(tmp_path / "ledger.xlsx", lambda temp: temp.write_bytes(b"PK"))
    assert target.read_text(encoding="utf-8") == "新"
    assert (tmp_path / "ledger.xlsx").read_bytes() == b"PK"
    assert synced == [tmp_path, tmp_path]
    assert atomic.stale_temp_files(tmp_path) == []
