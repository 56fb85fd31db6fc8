"""Errors a user can act on: each carries a Chinese message for the UI and an English one for logs."""

from __future__ import annotations

import re

# Texts that are stored or cross the wire before anyone knows the reader's language (a hub's
# refusal, a sync problem, a form that failed) are written "中文 (English)": Chinese first, the
# English in one trailing pair of ASCII brackets, then any language-free detail (": client.name").
# Older desks and the CLI show it whole; the window shows the part of its language (``localized``).
_HAN = "\u3000-\u9fff\uff00-\uffef"
_BILINGUAL = re.compile(
    rf"^(?P<zh>.*?[{_HAN}].*?) \((?P<en>(?:[^{_HAN}()]|\([^{_HAN}()]*\))+)\)(?P<tail>[^{_HAN}()]*)$",
    re.DOTALL,
)


def bilingual(zh: str, en: str = "") -> str:
    """``zh (en)``, or ``zh`` alone when there is no separate English."""
    return f"{zh} ({en})" if en and en != zh else zh


def localized(text: str, lang: str) -> str:
    """The part of a ``bilingual`` text in ``lang`` (``zh_CN`` or ``en``); other texts unchanged."""
    match = _BILINGUAL.match(text)
    if match is None:
        return text
    part = match["en"] if lang == "en" else match["zh"]
    return part + match["tail"]


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
        return bilingual(self.message_zh, self.message_en)
