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
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(entry)).hexdigest()


@dataclass(frozen=True)
class BrokenLink:
    """The first entry whose link or content does not match; ``seq`` names it."""

    seq: int
    reason: str

    def zh(self) -> str:
        return f"审计记录第 {self.seq} 条被改动或缺失：{self.reason}"


def first_broken(entries: Iterable[Mapping[str, Any]], start: str = GENESIS) -> BrokenLink | None:
    """Walk ``entries`` in sequence order; None when every link holds."""
    prev = start
    for entry in entries:
        seq = int(entry.get("seq") or 0)
        if entry.get("prev_hash") != prev:
            return BrokenLink(seq, "prev_hash does not match the entry before (removed or reordered)")
        if entry.get("hash") != entry_hash(prev, entry):
            return BrokenLink(seq, "content does not match its hash (edited)")
        prev = str(entry["hash"])
    return None
