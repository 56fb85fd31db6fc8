"""Fill the Chinese .ts from agent_desk/ui/i18n/zh_CN.tsv (source<TAB>translation, \\n escaped).

A source may be prefixed with its context, ``Context::source``, where the same English word needs
a different Chinese one on one screen (DocumentsPanel::Document is 文书, elsewhere 材料).

Run by `make i18n` after lupdate, so a new tr() string only needs one line in the .tsv.
Prints the sources still untranslated and exits 1 if there are any.
"""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "agent_desk" / "ui" / "i18n"


def load_table(path: Path) -> dict[str, str]:
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            source, _, target = line.partition("\t")
            table[source.replace("\\n", "\n")] = target.replace("\\n", "\n")
    return table


def fill(ts_path: Path, table: dict[str, str]) -> list[str]:
    tree = ET.parse(ts_path)
    missing = []
    for context in tree.iter("context"):
        missing += _fill_context(context, table)
    tree.write(ts_path, encoding="utf-8", xml_declaration=True)
    return missing


def _fill_context(context: ET.Element, table: dict[str, str]) -> list[str]:
    name, missing = context.findtext("name") or "", []
    for message in context.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        key = f"{name}::{source}" if f"{name}::{source}" in table else source
        if key in table:
            translation.text = table[key]
            translation.attrib.pop("type", None)
        elif translation.attrib.get("type") in ("vanished", "obsolete"):
            continue
        else:
            missing.append(source)
    return missing


if __name__ == "__main__":
    left = fill(ROOT / "agent_desk_zh_CN.ts", load_table(ROOT / "zh_CN.tsv"))
    for source in left:
        print(f"untranslated: {source!r}")
    sys.exit(1 if left else 0)
