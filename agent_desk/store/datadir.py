"""Where a desk keeps its data: one folder, chosen by --data-dir, AGENT_DESK_HOME or the OS default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from agent_desk.paths import private_folder

ENV_VAR = "AGENT_DESK_HOME"


@dataclass(frozen=True)
class DataDir:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "agent_desk.db"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    @property
    def documents(self) -> Path:
        return self.root / "documents"

    @property
    def scan_pages(self) -> Path:
        """Page images of PDF scans for the review screen (a plain desk only: an encrypted one keeps none)."""
        return self.root / "cache" / "pdf-pages"

    @property
    def key_file(self) -> Path:
        """The wrapped data key (no secret in plain text); its presence means the desk is encrypted."""
        return self.root / "key.json"

    @property
    def settings_file(self) -> Path:
        return self.root / "settings.json"

    def ensure(self) -> DataDir:
        """The folders, the root readable by its user only (0700 on Linux)."""
        private_folder(self.root)
        for folder in (self.backups, self.logs, self.attachments, self.documents):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> DataDir:
    """--data-dir wins, then AGENT_DESK_HOME, then the per-user data folder of the OS."""
    chosen = explicit or os.environ.get(ENV_VAR)
    if chosen:
        return DataDir(Path(chosen).expanduser().resolve())
    return DataDir(Path(platformdirs.user_data_dir("AgentDesk", appauthor=False)))
