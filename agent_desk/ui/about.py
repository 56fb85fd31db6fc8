"""The About box: version, what printing will use, and the licence notices (Qt/PySide6 under the LGPL)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, qVersion

from agent_desk import __version__
from agent_desk.paths import shipped_root


def licenses_folder() -> Path:
    """The bundle's licenses/ (installer/licenses.py); from source, the texts kept in installer/licenses/."""
    bundled = shipped_root() / "licenses"
    return bundled if bundled.is_dir() else shipped_root() / "installer" / "licenses"


def about_text() -> str:
    python = sys.version.split()[0]
    built = QCoreApplication.translate(
        "About",
        "Built with Qt %1 and PySide6 %2, used under the GNU LGPL v3; the Qt libraries are separate files and may be replaced. Printing draws pages with PDFium (BSD-3-Clause). Python %3.",
    )  # noqa: E501
    folder = QCoreApplication.translate("About", "Licence texts and third-party notices: %1")
    lines = [
        QCoreApplication.translate("About", "AgentDesk %1").replace("%1", __version__),
        QCoreApplication.translate(
            "About", "Offline desk for village proxy agents and township reviewers."
        ),
        "",
        built.replace("%1", qVersion()).replace("%2", pyside_version).replace("%3", python),
        folder.replace("%1", str(licenses_folder())),
    ]
    return "\n".join(lines)
