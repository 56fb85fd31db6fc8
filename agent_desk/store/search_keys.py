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

# A surname is read one way as a surname even when the character has other readings; these are
# the surnames people really read two ways (单 shan/dan …). Other surnames keep their main reading,
# so 邓 is not found by "shan".
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "单": ("shan", "dan"), "曾": ("zeng", "ceng"), "解": ("xie", "jie"), "仇": ("qiu", "chou"),
    "区": ("ou", "qu"), "朴": ("piao", "pu"), "乐": ("yue", "le"), "查": ("zha", "cha"),
    "盖": ("ge", "gai"), "缪": ("miao", "mou"), "覃": ("qin", "tan"), "翟": ("zhai", "di"),
    "尉": ("yu", "wei"), "召": ("shao", "zhao"), "种": ("chong", "zhong"), "繁": ("po", "fan"),
    "长": ("zhang", "chang"), "秘": ("bi", "mi"), "员": ("yun", "yuan"), "折": ("she", "zhe"),
}  # fmt: skip


def _letters(options: list[str]) -> list[str]:
    return [o.lower() for o in options if _ASCII_WORD.fullmatch(o.lower())]


def readings(name: str) -> list[list[str]]:
    """Per character, its pinyin readings (letters only); non-Han characters are dropped.

    The surname (first character) reads as in SURNAME_READINGS, or else by its main reading; each
    other character has its reading in the phrase first, then every reading of it alone: pypinyin's
    phrase dictionary would otherwise hide readings (单行 gives only "dan xing").
    """
    in_phrase = pinyin(name, style=Style.NORMAL, heteronym=True, errors="ignore")
    alone = pinyin(list(name), style=Style.NORMAL, heteronym=True, errors="ignore")
    if len(in_phrase) != len(alone):
        in_phrase = alone
    out = [_letters(a + b) for a, b in zip(in_phrase, alone, strict=True)]
    out = [list(dict.fromkeys(letters)) for letters in out if letters]
    if out and _is_han(name[0]):
        out[0] = list(SURNAME_READINGS.get(name[0], out[0][:1]))
    return out


def _is_han(ch: str) -> bool:
    return bool(pinyin(ch, style=Style.NORMAL, errors="ignore"))


def _combinations(per_char: list[list[str]]) -> list[tuple[str, ...]]:
    """Every reading of every character appears in some combination, even past the cap."""
    firsts = tuple(options[0] for options in per_char)
    combos = dict.fromkeys([firsts])
    for index, options in enumerate(per_char):
        for option in options[1:]:
            combos.setdefault(firsts[:index] + (option,) + firsts[index + 1 :])
    for combo in itertools.product(*per_char):
        if len(combos) >= MAX_READINGS:
            break
        combos.setdefault(combo)
    return list(combos)


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
