"""PDF through LibreOffice headless, one soffice start per batch rather than per file.

The first converter of the chain in fill/converters.py (WPS or Word through COM come next).

Starting soffice costs seconds on an old village PC; converting a document after that costs a
fraction of one. So a batch is converted by a single ``--convert-to pdf`` call with all files,
using a private profile (a user's open LibreOffice window would otherwise swallow the request).
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from agent_desk import atomic
from agent_desk.fill.pdf_errors import PdfConversionFailed, PdfUnavailable

# Where installers put soffice.exe, relative to a drive: the usual folders on every drive, since
# village PCs often have programs on D: or E:.
_WINDOWS_FOLDERS = ("Program Files", "Program Files (x86)")
_REGISTRY_KEYS = (
    r"SOFTWARE\LibreOffice\UNO\InstallPath",
    r"SOFTWARE\WOW6432Node\LibreOffice\UNO\InstallPath",
    r"SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\soffice.exe",
)


def find_soffice(*, windows: bool = os.name == "nt") -> str | None:
    """The soffice executable: on PATH, then where the Windows registry says, then the usual folders on any drive."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found or not windows:
        return found
    candidates = [*_registry_candidates(), *_folder_candidates(_drives())]
    return next((path for path in candidates if os.path.isfile(path)), None)


def _registry_candidates() -> list[str]:
    """soffice.exe under the install path LibreOffice records in HKLM/HKCU (any drive, any version)."""
    # Windows only; imported by name so mypy on Linux (no stubs for it) accepts the attributes
    winreg: Any = importlib.import_module("winreg")

    found: list[str] = []
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        for key in _REGISTRY_KEYS:
            try:
                with winreg.OpenKey(hive, key) as handle:
                    value = str(winreg.QueryValueEx(handle, "")[0])
            except OSError:
                continue
            found.append(
                value if value.lower().endswith(".exe") else os.path.join(value, "soffice.exe")
            )
    return found


def _drives() -> list[str]:
    return [f"{letter}:\\" for letter in "CDEFGHIJ" if os.path.exists(f"{letter}:\\")]


def _folder_candidates(drives: list[str]) -> list[str]:
    """LibreOffice's default folders (also versioned ones such as 'LibreOffice 7') on each drive."""
    found: list[str] = []
    for drive in drives:
        for folder in _WINDOWS_FOLDERS:
            root = Path(drive) / folder
            found.extend(
                str(path) for path in sorted(root.glob("LibreOffice*/program/soffice.exe"))
            )
    return found


class LibreOfficeConverter:
    """Converts batches of .docx to PDF; keep one per session so its profile is reused."""

    name = "LibreOffice"

    def __init__(
        self, soffice: str | None = None, *, timeout: float = 60.0, per_file: float = 5.0
    ) -> None:
        self.soffice = soffice if soffice is not None else find_soffice()
        self.timeout = timeout
        self.per_file = per_file
        self._profile: tempfile.TemporaryDirectory[str] | None = None

    @property
    def available(self) -> bool:
        return bool(self.soffice) and os.path.exists(str(self.soffice))

    def convert(self, documents: Sequence[Path | str], out_dir: Path | str) -> list[Path]:
        """PDFs of ``documents`` in ``out_dir`` (same stems), in the same order."""
        if not self.available:
            raise PdfUnavailable("LibreOffice")
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = [Path(doc) for doc in documents]
        results: dict[Path, Path] = {}
        for chunk in _unique_stem_chunks(paths):
            results.update(self._convert_chunk(chunk, out))
        return [results[path] for path in paths]

    def convert_one(self, document: Path | str, out_dir: Path | str) -> Path:
        return self.convert([document], out_dir)[0]

    def _convert_chunk(self, chunk: list[Path], out: Path) -> dict[Path, Path]:
        with tempfile.TemporaryDirectory(prefix="agent-desk-pdf-") as staging:
            self._run(chunk, Path(staging))
            produced = {path: Path(staging) / f"{path.stem}.pdf" for path in chunk}
            missing = [path.name for path, pdf in produced.items() if not pdf.is_file()]
            if missing:
                raise PdfConversionFailed(
                    f"LibreOffice 未能转换：{'、'.join(missing)}",
                    code="pdf_failed",
                    message_en=f"soffice produced no PDF for {missing}",
                )
            return {path: _move(pdf, out / pdf.name) for path, pdf in produced.items()}

    def _run(self, chunk: list[Path], staging: Path) -> None:
        command = [
            str(self.soffice),
            f"-env:UserInstallation={self._profile_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(staging),
            *(str(path.resolve()) for path in chunk),
        ]
        try:
            subprocess.run(
                command,
                capture_output=True,
                check=False,
                timeout=self.timeout + self.per_file * len(chunk),
            )
        except subprocess.TimeoutExpired:
            raise PdfConversionFailed(
                "LibreOffice 转换超时，请关闭其他程序后重试",
                code="pdf_timeout",
                message_en="soffice timed out",
            ) from None

    def _profile_uri(self) -> str:
        if self._profile is None:
            self._profile = tempfile.TemporaryDirectory(prefix="agent-desk-soffice-")
        return Path(self._profile.name).as_uri()

    def close(self) -> None:
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None

    def __enter__(self) -> LibreOfficeConverter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _move(source: Path, target: Path) -> Path:
    """Copy through agent_desk.atomic, so a reader never sees half a PDF."""
    atomic.write_with(target, lambda temp: shutil.copyfile(source, temp))
    return target


def _unique_stem_chunks(paths: list[Path]) -> Iterator[list[Path]]:
    """soffice names outputs by stem; two inputs called 申请表.docx must go in separate calls."""
    pending = list(dict.fromkeys(paths))
    while pending:
        chunk: list[Path] = []
        stems: set[str] = set()
        for path in pending:
            if path.stem not in stems:
                chunk.append(path)
                stems.add(path.stem)
        pending = [path for path in pending if path not in chunk]
        yield chunk
