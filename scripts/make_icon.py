"""Render installer/icon/agent-desk.svg (the source, drawn for this project) to the files that ship.

- installer/icon/agent-desk.ico: the .exe's and the installer's icon (16–256 px, PNG entries)
- agent_desk/ui/icons/agent-desk.png: the window icon (256 px)
- agent_desk/ui/icons/nav/*.png: the navigation's icons (48 px) from the SVGs beside them

The bundle ships the PNGs, not the SVGs: it leaves Qt's SVG module out.

Run again after editing the SVG: `python scripts/make_icon.py`.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "installer" / "icon" / "agent-desk.svg"
ICO = ROOT / "installer" / "icon" / "agent-desk.ico"
PNG = ROOT / "agent_desk" / "ui" / "icons" / "agent-desk.png"
SIZES = (16, 24, 32, 48, 64, 128, 256)
NAV = ROOT / "agent_desk" / "ui" / "icons" / "nav"
NAV_SIZE = 48


def render(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico(images: list[tuple[int, bytes]]) -> bytes:
    """An ICO of PNG entries (Windows Vista and later read them at every size)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in images:
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return header + entries + blobs


def main() -> int:
    _app = QGuiApplication(sys.argv)
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"cannot read {SOURCE}")
        return 1
    images = [(size, render(renderer, size)) for size in SIZES]
    ICO.write_bytes(ico(images))
    PNG.parent.mkdir(parents=True, exist_ok=True)
    PNG.write_bytes(images[-1][1])
    print(ICO, PNG)
    for svg in sorted(NAV.glob("*.svg")):
        nav = QSvgRenderer(str(svg))
        if not nav.isValid():
            print(f"cannot read {svg}")
            return 1
        svg.with_suffix(".png").write_bytes(render(nav, NAV_SIZE))
        print(svg.with_suffix(".png"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
