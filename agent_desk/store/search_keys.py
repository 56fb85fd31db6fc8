"""Prefix keys for the client search box, kept on every write.

Each key starts with a one-letter family so one index serves every kind of lookup:
``n`` name, ``p`` full pinyin, ``i`` initials, ``d`` ID number, ``r`` ID number reversed (so its
last digits are a prefix), ``t`` phone, ``u`` phone reversed. Every reading of a heteronym is
kept (单 dan/shan/chan, 曾 zeng/ceng …) so a villager is found whichever reading the agent types.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from pypinyin import Style, pinyin

MAX_READINGS = 64
TOP = "\U0010ffff"
_ASCII_WORD = re.compile(r"[a-z]+")


def readings(name: str) -> list[list[str]]:
    """Per character, every pinyin reading (letters only); non-Han characters are dropped."""
    out: list[list[str]] = []
    for options in pinyin(name, style=Style.NORMAL, heteronym=True, errors="ignore"):
        letters = [o.lower() for o in options if _ASCII_WORD.fullmatch(o.lower())]
        if letters:
            out.append(list(dict.fromkeys(letters)))
    return out


def _combinations(per_char: list[list[str]]) -> list[tuple[str, ...]]:
    combos: list[tuple[str, ...]] = []
    for combo in itertools.product(*per_char):
        combos.append(combo)
        if len(combos) >= MAX_READINGS:
            break
    return combos


def sort_key(name: str) -> str:
    """The first reading of every character: lists sort by it like a phone book."""
    per_char = readings(name)
    return "".join(options[0] for options in per_char) if per_char else name.lower()


def name_keys(name: str) -> set[str]:
    keys = {"n" + name}
    for combo in _combinations(readings(name)):
        keys.add("p" + "".join(combo))
        keys.add("i" + "".join(word[0] for word in combo))
    return keys


def client_keys(name: str, id_number: str | None, phone: str | None) -> set[str]:
    keys = name_keys(name)
    if id_number:
        keys |= {"d" + id_number, "r" + id_number[::-1]}
    if phone:
        digits = re.sub(r"\D", "", phone)
        keys |= {"t" + digits, "u" + digits[::-1]}
    return keys


def query_ranges(query: str) -> list[tuple[str, str]]:
    """The key ranges a typed query searches, each as [low, high)."""
    text = unicodedata.normalize("NFKC", query).strip().lower().replace(" ", "")
    if not text:
        return []
    prefixes: list[str]
    if re.fullmatch(r"[0-9x]+", text):
        digits = text.upper()
        prefixes = ["d" + digits, "r" + digits[::-1]]
        if "X" not in digits:
            prefixes += ["t" + digits, "u" + digits[::-1]]
    elif re.fullmatch(r"[a-z]+", text):
        prefixes = ["p" + text, "i" + text]
    else:
        prefixes = ["n" + text]
    return [(p, p + TOP) for p in prefixes]
