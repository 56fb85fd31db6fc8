"""Render many documents with progress and cancel, for the morning's batch of cases.

One failing document (a template deleted under us) must not lose the other 199, so failures
are collected, not raised; a cancel stops between documents, so every file written is whole.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent_desk import atomic
from agent_desk.core.errors import DomainError, bilingual
from agent_desk.fill.render import TEMPLATES, TemplateCache, Write, render

Progress = Callable[[int, int], None]
Cancel = threading.Event | Callable[[], bool] | None


@dataclass(frozen=True)
class RenderJob:
    """One document to produce; ``key`` lets the caller match results to its cases."""

    template_path: Path
    context: dict[str, Any]
    out_path: Path
    key: str = ""


@dataclass(frozen=True)
class RenderedDocument:
    job: RenderJob
    path: Path
    sha256: str


@dataclass
class BatchResult:
    done: list[RenderedDocument] = field(default_factory=list)
    failed: list[tuple[RenderJob, str]] = field(default_factory=list)
    cancelled: bool = False


def _is_cancelled(cancel: Cancel) -> bool:
    if cancel is None:
        return False
    if isinstance(cancel, threading.Event):
        return cancel.is_set()
    return bool(cancel())


def render_batch(
    jobs: Iterable[RenderJob],
    progress: Progress | None = None,
    cancel: Cancel = None,
    *,
    cache: TemplateCache = TEMPLATES,
    write: Write | None = None,
    mark: Callable[[bytes], bytes] | None = None,
) -> BatchResult:
    """Render every job in order, calling ``progress(done, total)`` after each one."""
    todo = list(jobs)
    result = BatchResult()
    written: list[tuple[Path, Path | None]] = []  # each new file and the one it replaced, set aside
    try:
        for index, job in enumerate(todo, start=1):
            if _is_cancelled(cancel):
                result.cancelled = True
                break
            previous = _set_aside(job.out_path)
            try:
                digest = render(
                    job.template_path,
                    job.context,
                    job.out_path,
                    cache=cache,
                    write=write,
                    mark=mark,
                )
            except DomainError as exc:
                _put_back(job.out_path, previous)
                result.failed.append((job, exc.bilingual()))
            except OSError as exc:
                _put_back(job.out_path, previous)
                why = exc.strerror or type(exc).__name__
                result.failed.append(
                    (job, bilingual(f"无法写入文件：{why}", f"cannot write the file: {why}"))
                )
            else:
                written.append((job.out_path, previous))
                result.done.append(RenderedDocument(job, job.out_path, digest))
            if progress is not None:
                progress(index, len(todo))
    except BaseException:
        # 取消 raised from a progress report (or a bug): the caller's transaction rolls back, so
        # the files go back to what its records describe — the earlier documents, or none.
        for path, previous in reversed(written):
            _put_back(path, previous)
        raise
    for _path, previous in written:
        if previous is not None:
            previous.unlink(missing_ok=True)
    return result


def _set_aside(path: Path) -> Path | None:
    """The document already at ``path`` (an earlier fill), moved beside it until the batch ends."""
    if not path.exists():
        return None
    aside = path.with_name(path.name + ".prev")
    atomic.replace(path, aside)
    return aside


def _put_back(path: Path, previous: Path | None) -> None:
    if previous is not None:
        atomic.replace(previous, path)
    else:
        path.unlink(missing_ok=True)
