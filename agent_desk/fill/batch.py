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

from agent_desk.core.errors import DomainError
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
    for index, job in enumerate(todo, start=1):
        if _is_cancelled(cancel):
            result.cancelled = True
            break
        try:
            digest = render(
                job.template_path, job.context, job.out_path, cache=cache, write=write, mark=mark
            )
            result.done.append(RenderedDocument(job, job.out_path, digest))
        except (DomainError, OSError) as exc:
            result.failed.append((job, str(exc)))
        if progress is not None:
            progress(index, len(todo))
    return result
