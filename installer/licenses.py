"""The licence notices that ship in the bundle's ``licenses/`` folder (the spec calls ``collect``).

Every distribution the desk runs on is listed with its version and licence in
THIRD-PARTY-NOTICES.txt, and its own licence files are copied beside it. Qt and PySide6 are used
under the LGPL v3: their wheels carry no licence file, so the LGPL and GPL texts come from this
folder, with a note on how a user can replace the Qt libraries (they are separate files in the
one-folder bundle) and where their source is.
"""

from __future__ import annotations

import re
import shutil
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
QT_NOTE = """Qt 6 and PySide6 (Qt for Python) are used under the GNU Lesser General Public License v3
(LGPL-3.0.txt, which refers to GPL-3.0.txt). They are dynamically linked: the Qt libraries are the
separate Qt6*.dll / libQt6*.so files in this folder's parent (PySide6/ in _internal), and may be
replaced by a compatible build of the user's own. Source code: https://download.qt.io/official_releases/
(Qt) and https://download.qt.io/official_releases/QtForPython/ (PySide6), or ask the distributor of
this installer for a copy.
"""
LICENSE_NAME = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", re.IGNORECASE)


def runtime_closure(root: str = "agent-desk") -> list[metadata.Distribution]:
    """``root`` and everything its non-extra requirements pull in on this platform."""
    seen: dict[str, metadata.Distribution] = {}
    pending = [root]
    while pending:
        name = _canonical(pending.pop())
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[name] = dist
        for requirement in dist.requires or []:
            if _applies(requirement):
                pending.append(re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0])
    return sorted(seen.values(), key=lambda d: _canonical(d.metadata["Name"]))


def _applies(requirement: str) -> bool:
    """Not behind an extra, and its platform marker true here."""
    if ";" not in requirement:
        return True
    marker = requirement.split(";", 1)[1]
    if "extra" in marker:
        return False
    from packaging.markers import Marker

    return Marker(marker).evaluate()


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _licence(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expression = meta.get("License-Expression") or ""
    text = meta.get("License") or ""
    classifiers = [
        c.split("::")[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::")
    ]
    short = text if text and "\n" not in text and len(text) < 80 else ""
    return expression or short or ", ".join(classifiers) or "see the files in its folder"


def collect(dest: Path) -> Path:
    """Write ``dest`` (licenses/): the notices file, each distribution's licence files, the LGPL/GPL texts."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    lines = ["AgentDesk (代办通) includes the following third-party software.", ""]
    for dist in runtime_closure():
        name, version = dist.metadata["Name"], dist.version
        if _canonical(name) == "agent-desk":
            continue
        lines.append(f"{name} {version} — {_licence(dist)}")
        for file in dist.files or []:
            if LICENSE_NAME.search(Path(str(file)).name):
                target = dest / _canonical(name) / Path(str(file)).name
                target.parent.mkdir(exist_ok=True)
                shutil.copyfile(Path(str(dist.locate_file(file))), target)
    lines += [
        "",
        QT_NOTE,
        "PDFium (in pypdfium2_raw): BSD-3-Clause and Apache-2.0; see pypdfium2-raw/.",
    ]
    (dest / "THIRD-PARTY-NOTICES.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for text in ("LGPL-3.0.txt", "GPL-3.0.txt"):
        shutil.copyfile(HERE / "licenses" / text, dest / text)
    return dest


if __name__ == "__main__":
    import sys

    print(collect(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("build") / "licenses"))
