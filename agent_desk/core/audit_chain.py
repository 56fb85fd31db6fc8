"""The hash chain of the audit trail: each entry carries the sha256 of the one before it.

Pure functions shared by the desk (which writes and verifies its own trail) and the hub (which
verifies the chains desks send). Editing, removing or reordering any entry breaks a link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
HASHED = ("at", "actor", "action", "entity", "entity_id", "detail")


def canonical(entry: Mapping[str, Any]) -> bytes:
    """The bytes an entry's hash covers: its hashed fields as sorted, compact JSON."""
    body = {key: entry.get(key) for key in HASHED}
    return json.dumps(
        body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode()


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(entry)).hexdigest()


ZH_REASONS = {
    "link": "之前的记录被删除、插入或调换了顺序",
    "content": "的内容被改动过（与其哈希不符）",
    "fork": "与乡镇服务器已保存的同一条不一致（记录链出现分叉）",
    "detached": "没有接在乡镇服务器已保存的最后一条之后",
}


@dataclass(frozen=True)
class BrokenLink:
    """The first entry whose link or content does not match; ``seq`` names it, ``kind`` says how."""

    seq: int
    reason: str
    kind: str = (
        "content"  # link | content | fork | detached (the last two only against the hub's copy)
    )

    def zh(self) -> str:
        return f"审计记录第 {self.seq} 条{ZH_REASONS.get(self.kind, '被改动或缺失')}"


def first_broken(entries: Iterable[Mapping[str, Any]], start: str = GENESIS) -> BrokenLink | None:
    """Walk ``entries`` in sequence order; None when every link holds."""
    prev = start
    for entry in entries:
        seq = int(entry.get("seq") or 0)
        if entry.get("prev_hash") != prev:
            return BrokenLink(
                seq, "prev_hash does not match the entry before (removed or reordered)", "link"
            )
        if entry.get("hash") != entry_hash(prev, entry):
            return BrokenLink(seq, "content does not match its hash (edited)", "content")
        prev = str(entry["hash"])
    return None
