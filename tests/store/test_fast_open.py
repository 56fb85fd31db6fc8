"""A desk already at the newest schema opens without loading alembic (a third of a cold start)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from agent_desk.services.desk import open_desk
from agent_desk.store.db import head_revision, newest_migration

ROOT = Path(__file__).resolve().parents[2]
OPEN = (
    "import sys; from pathlib import Path; from agent_desk.services.desk import open_desk; "
    "open_desk(Path(sys.argv[1])).close(); print('alembic' in sys.modules)"
)


def test_the_newest_migration_read_from_the_files_is_alembics_head() -> None:
    assert newest_migration() == head_revision()


def test_a_current_desk_opens_without_alembic_and_an_older_one_is_still_migrated(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "desk"
    open_desk(folder).close()  # created and migrated: alembic ran
    opened = subprocess.run(
        [sys.executable, "-c", OPEN, str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    assert opened.stdout.split()[-1] == "False"
    fresh = subprocess.run(
        [sys.executable, "-c", OPEN, str(tmp_path / "new")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    assert fresh.stdout.split()[-1] == "True"  # an empty folder gets its schema the checked way
