"""The Windows version resource of agent-desk.exe and agent-desk-cli.exe, from agent_desk.__version__.

One version source: pyproject.toml reads the same attribute, `agent-desk --version` prints it, the
spec stamps it here into the .exe (Explorer's Details tab, 360/火绒's publisher check), and
build_windows.ps1 passes it to Inno Setup.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def app_version() -> str:
    return re.search(
        r'__version__ = "([^"]+)"', (ROOT / "agent_desk" / "__init__.py").read_text()
    ).group(1)


def numeric(version: str) -> tuple[int, int, int, int]:
    """0.1.0 → (0, 1, 0, 0); a pre-release tail (0.2.0rc1) is dropped for the numeric field."""
    parts = [
        int(re.match(r"\d+", p).group()) for p in version.split(".")[:4] if re.match(r"\d+", p)
    ]
    return tuple((parts + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def version_resource(name: str, description: str):  # -> PyInstaller VSVersionInfo
    from PyInstaller.utils.win32.versioninfo import (
        FixedFileInfo,
        StringFileInfo,
        StringStruct,
        StringTable,
        VarFileInfo,
        VarStruct,
        VSVersionInfo,
    )

    version = app_version()
    strings = {
        "CompanyName": "AgentDesk",
        "FileDescription": description,
        "FileVersion": version,
        "InternalName": name,
        "LegalCopyright": "AgentDesk (代办通); third-party notices in licenses\\",
        "OriginalFilename": f"{name}.exe",
        "ProductName": "代办通 AgentDesk",
        "ProductVersion": version,
    }
    return VSVersionInfo(
        ffi=FixedFileInfo(filevers=numeric(version), prodvers=numeric(version)),
        kids=[
            StringFileInfo(
                [StringTable("080404B0", [StringStruct(k, v) for k, v in strings.items()])]
            ),
            VarFileInfo([VarStruct("Translation", [0x0804, 1200])]),
        ],
    )
