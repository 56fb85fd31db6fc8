"""A hostile or broken hub cannot make the desk write or delete outside ``published/``."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from agent_desk.services.desk import open_desk
from agent_desk.sync.errors import HubRejected
from agent_desk.sync.publications import fetch_publications


def _archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("autostart.desktop", "[Desktop Entry]\nExec=evil\n")
    return buffer.getvalue()


def _run(root: Path, kind: str, version: object) -> SimpleNamespace:
    data = _archive()
    desk = open_desk(root)
    desk.close()
    refusals: list[tuple[str, int, str]] = []
    return SimpleNamespace(
        publications={kind: {"version": version, "sha256": hashlib.sha256(data).hexdigest()}},
        client=SimpleNamespace(
            publication=lambda k, v: data,
            report_refusal=lambda k, v, reason: refusals.append((k, v, reason)),
            refusals=refusals,
        ),
        db=desk.db,
        data=desk.data,
        cancelled=lambda: False,
        sleep=lambda s: None,
        tick=lambda *a: None,
        report=SimpleNamespace(publications=[]),
    )


def _files(root: Path) -> list[Path]:
    """Everything under ``root`` but the desk database's own side files."""
    return sorted(
        p.relative_to(root) for p in root.rglob("*") if not p.name.startswith("agent_desk.db")
    )


@pytest.mark.parametrize(
    ("kind", "version"),
    [
        ("../../../.config/autostart", 1),
        ("..", 3),
        ("Catalog", 1),
        ("catalog", "1/../../x"),
        ("catalog", -1),
        ("catalog", 0),
        ("catalog", True),
    ],
)
def test_a_bad_publication_name_or_version_is_refused_and_nothing_is_touched(
    tmp_path: Path, kind: str, version: object
) -> None:
    root = tmp_path / "home" / "agent" / "desk"
    victim = (
        tmp_path / "home" / "agent" / "desk" / "v3"
    )  # what ``..`` + version 3 would have deleted
    victim.mkdir(parents=True)
    (victim / "keep.txt").write_text("mine", encoding="utf-8")
    run = _run(root, kind, version)
    before = _files(tmp_path)
    with pytest.raises(HubRejected) as refused:
        fetch_publications(run)  # type: ignore[arg-type]
    assert "拒绝" in str(refused.value)
    assert _files(tmp_path) == before
    assert (victim / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert run.report.publications == []


def test_a_good_publication_still_unpacks(tmp_path: Path) -> None:
    run = _run(tmp_path / "desk", "calendar", 2)
    fetch_publications(run)  # type: ignore[arg-type]
    assert (tmp_path / "desk" / "published" / "calendar" / "v2" / "autostart.desktop").exists()
    assert run.report.publications == ["calendar"]
    # a package with no calendar.json in it is fetched, refused, and the refusal told to the hub
    [(kind, version, reason)] = run.client.refusals
    assert (kind, version) == ("calendar", 2) and reason.startswith("第 2 版无法使用")
