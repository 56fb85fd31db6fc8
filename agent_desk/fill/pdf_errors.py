"""What a user is told when a document cannot be turned into a PDF (so nothing can be previewed)."""

from __future__ import annotations

import sys

from agent_desk.core.errors import DomainError

WINDOWS_ADVICE = (
    "请安装 WPS Office、Microsoft Word 或 LibreOffice 中的任意一个（村里电脑常用 WPS Office），"
    "装好后重新打开代办通即可预览和打印；在此之前可点“在编辑器中打开”，在 Word/WPS 里打印。"
)
LINUX_ADVICE = (
    "请安装 LibreOffice（sudo apt-get install libreoffice-writer-nogui），"
    "装好后重新打开代办通即可预览和打印；在此之前可点“在编辑器中打开”打印。"
)


def install_advice(platform: str = sys.platform) -> str:
    return WINDOWS_ADVICE if platform == "win32" else LINUX_ADVICE


class PdfUnavailable(DomainError):
    """No converter on this PC: the message names what to install; the .docx can still be opened."""

    def __init__(self, what: str | None = None, platform: str = sys.platform) -> None:
        missing = f"未找到 {what}" if what else "未找到可以把文书转成 PDF 的软件"
        super().__init__(
            f"{missing}，无法生成 PDF。{install_advice(platform)}",
            code="pdf_unavailable",
            message_en=f"no PDF converter ({what or 'LibreOffice, WPS or Word'}) found",
        )


class PdfConversionFailed(DomainError):
    """The converter ran but did not produce every PDF."""
