"""The upload lock holds across the API worker processes of one hub (``server --workers N``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from agent_desk.server.blobs import LocalBlobStore

SHA = "ab" * 32
PROBE = """
import sys
from pathlib import Path
from agent_desk.server.blobs import LocalBlobStore
lock = LocalBlobStore(Path(sys.argv[1])).lock(sys.argv[2])
got = lock.acquire(blocking=False)
print("free" if got else "held")
"""


def _other_worker(root: Path, key: str) -> str:
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(root), key],
        capture_output=True,
        text=True,
        cwd=repo,
        check=True,
    )
    return done.stdout.strip()


@pytest.mark.skipif(sys.platform == "win32", reason="a Windows hub runs one process")
def test_an_upload_lock_is_held_for_other_worker_processes(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "blobs")
    with store.lock(SHA):
        assert _other_worker(tmp_path / "blobs", SHA) == "held"
    assert _other_worker(tmp_path / "blobs", SHA) == "free"
