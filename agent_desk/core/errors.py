"""Errors a user can act on: each carries a Chinese message for the UI and an English one for logs."""

from __future__ import annotations


class DomainError(ValueError):
    """Bad input or a forbidden action; ``str()`` is the Chinese message shown to the user."""

    def __init__(
        self, message_zh: str, *, code: str, message_en: str = "", field: str | None = None
    ) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.message_en = message_en or message_zh
        self.code = code
        self.field = field

    def bilingual(self) -> str:
        """For the CLI: Chinese first, English after, so scripts and people both understand."""
        if self.message_en and self.message_en != self.message_zh:
            return f"{self.message_zh} ({self.message_en})"
        return self.message_zh
