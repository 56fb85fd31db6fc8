"""PDF through LibreOffice headless, one soffice start per batch rather than per file.

Starting soffice costs seconds on an old village PC; converting a document after that costs a
fraction of one. So a batch is converted by a single ``--convert-to pdf`` call with all files,
using a private profile (a user's open LibreOffice window would otherwise swallow the request).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType

from agent_desk.core.errors import DomainError

_WINDOWS_PATHS = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


class PdfUnavailable(DomainError):
    """LibreOffice is not installed: the agent can still print the .docx files."""

    def __init__(self) -> None:
        super().__init__(
            "未找到 LibreOffice，无法生成 PDF。请安装 LibreOffice，或直接打开 Word 文档打印。",
            code="pdf_unavailable",
            message_en="LibreOffice (soffice) not found; cannot convert to PDF",
        )


class PdfConversionFailed(DomainError):
    """soffice ran but did not produce every PDF."""


def find_soffice() -> str | None:
    """The soffice executable on PATH or in the usual Windows install folder."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((path for path in _WINDOWS_PATHS if os.path.exists(path)), None)


class PdfConverter:
    """Converts batches of .docx to PDF; keep one per session so its profile is reused."""

    def __init__(self, soffice: str | None = None, *, timeout: float = 60.0, per_file: float = 5.0) -> None:
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
            raise PdfUnavailable()
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
                    f"LibreOffice 未能转换：{'、'.join(missing)}", code="pdf_failed",
                    message_en=f"soffice produced no PDF for {missing}",
                )
            return {path: _move(pdf, out / pdf.name) for path, pdf in produced.items()}

    def _run(self, chunk: list[Path], staging: Path) -> None:
        command = [str(self.soffice), f"-env:UserInstallation={self._profile_uri()}", "--headless",
                   "--norestore", "--nologo", "--convert-to", "pdf", "--outdir", str(staging),
                   *(str(path.resolve()) for path in chunk)]  # fmt: skip
        try:
            subprocess.run(command, capture_output=True, check=False,
                           timeout=self.timeout + self.per_file * len(chunk))  # fmt: skip
        except subprocess.TimeoutExpired:
            raise PdfConversionFailed(
                "LibreOffice 转换超时，请关闭其他程序后重试", code="pdf_timeout",
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

    def __enter__(self) -> PdfConverter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def _move(source: Path, target: Path) -> Path:
    """Copy next to the target, then os.replace, so a reader never sees half a PDF."""
    temp = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(source, temp)
    os.replace(temp, target)
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
