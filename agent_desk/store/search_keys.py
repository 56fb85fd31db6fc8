"""Prefix keys for the client search box, kept on every write.

Each key starts with a one-letter family so one index serves every kind of lookup:
``n`` name, ``p`` full pinyin, ``i`` initials, ``d`` ID number, ``r`` ID number reversed (so its
last digits are a prefix), ``t`` phone, ``u`` phone reversed. Every reading of a heteronym is
kept (单 dan/shan/chan, 曾 zeng/ceng …) so a villager is found whichever reading the agent types.

Names are read one character at a time, with the surname read as a surname: pypinyin's phrase
dictionary knows words, not people (it reads 万俟 right but 单于 and 都 wrong), so surnames come
from the tables below and phrases stay available to everything else in the process. Keys and
queries are folded the same way: Unicode compatibility forms (李 U+F9E1 is 李) and every dot an
ethnic-minority name is typed with (· • ・ ．) — and such a name is also found by each of its parts.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata

from agent_desk.core.identity import id_match_key
from agent_desk.core.validation import is_cjk

MAX_READINGS = 64
TOP = "\U0010ffff"
VERSION = "2"  # bump when keys change; desks rebuild the keys that differ (store/key_rebuild.py)
MIDDLE_DOT = "\u00b7"
_DOTS = re.compile("[\u00b7\u2022\u2027\u2219\u22c5\u30fb\uff65\u0387\u16eb\uff0e.]")
_ASCII_WORD = re.compile(r"[a-z]+")

# A surname is read one way as a surname even when the character has other readings; these are
# the surnames people really read two ways (单 shan/dan …), the reading as a surname first. Other
# surnames keep their main reading, so 邓 is not found by "shan".
_SURNAMES = """
单 shan dan, 曾 zeng ceng, 解 xie jie, 仇 qiu chou, 区 ou qu, 朴 piao pu, 乐 yue le, 查 zha cha,
盖 ge gai, 缪 miao mou, 覃 qin tan, 翟 zhai di, 尉 yu wei, 召 shao zhao, 种 chong zhong, 繁 po fan,
长 zhang chang, 秘 bi mi, 员 yun yuan, 折 she zhe, 都 du dou, 贲 ben bi, 句 gou ju, 隗 wei kui,
祭 zhai ji, 宓 mi fu, 蕃 pi fan, 能 nai neng, 洗 xian xi, 藏 zang cang, 朝 chao zhao, 沈 shen, 任 ren,
华 hua, 燕 yan, 纪 ji, 薄 bo
"""
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    char: tuple(readings) for char, *readings in (entry.split() for entry in _SURNAMES.split(","))
}
# Two-character surnames whose characters read otherwise alone (万 wan, 单 dan, 澹 dan, 尉 wei).
COMPOUND_SURNAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "万俟": (("mo", "wan"), ("qi", "si")),
    "单于": (("chan", "dan", "shan"), ("yu",)),
    "澹台": (("tan", "dan"), ("tai",)),
    "尉迟": (("yu", "wei"), ("chi",)),
    "长孙": (("zhang", "chang"), ("sun",)),
    "乐正": (("yue", "le"), ("zheng",)),
    "亓官": (("qi",), ("guan",)),
    "令狐": (("ling",), ("hu",)),
    "皇甫": (("huang",), ("fu",)),
    "宰父": (("zai",), ("fu",)),
    "谷梁": (("gu",), ("liang",)),
    "夏侯": (("xia",), ("hou",)),
    "仉督": (("zhang",), ("du",)),
    "南宫": (("nan",), ("gong",)),
    "百里": (("bai",), ("li",)),
}


def fold(text: str) -> str:
    """Compatibility forms to their ordinary characters, every name dot to U+00B7."""
    return _DOTS.sub(MIDDLE_DOT, unicodedata.normalize("NFKC", text))


def _letters(options: list[str]) -> list[str]:
    return [o.lower() for o in options if _ASCII_WORD.fullmatch(o.lower())]


@functools.lru_cache(maxsize=16384)
def _char_readings(char: str) -> tuple[str, ...]:
    """One character's readings: names share a few thousand characters, so pypinyin (the cost of
    a name's keys and sort key) is asked once per character, not once per name."""
    from pypinyin import Style, pinyin

    found = pinyin([char], style=Style.NORMAL, heteronym=True, errors="ignore")
    return tuple(dict.fromkeys(_letters(found[0]))) if found else ()


@functools.lru_cache(maxsize=8192)
def _readings(name: str) -> tuple[tuple[str, ...], ...]:
    out = [letters for letters in map(_char_readings, name) if letters]
    compound = COMPOUND_SURNAMES.get(name[:2])
    if compound is not None:
        out[0], out[1] = compound
    elif out and is_cjk(name[0]):
        out[0] = SURNAME_READINGS.get(name[0], out[0][:1])
    return tuple(out)


def readings(name: str) -> list[list[str]]:
    """Per character, its pinyin readings (letters only); non-Han characters are dropped.

    The surname reads as in COMPOUND_SURNAMES or SURNAME_READINGS, or else by its main reading;
    every other character keeps every reading it has.
    """
    return [list(options) for options in _readings(fold(name))]


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


@functools.lru_cache(maxsize=8192)
def _name_keys(name: str) -> frozenset[str]:
    folded = fold(name)
    parts = [part for part in folded.split(MIDDLE_DOT) if part] if MIDDLE_DOT in folded else []
    keys = {"n" + name, "n" + folded} | {"n" + part for part in parts}
    if parts:
        keys.add("n" + "".join(parts))  # typed without the dot
    for text in [folded, *parts[1:]]:
        for combo in _combinations(readings(text)):
            keys.add("p" + "".join(combo))
            keys.add("i" + "".join(word[0] for word in combo))
    return frozenset(keys)


def name_keys(name: str) -> set[str]:
    return set(_name_keys(name))


def client_keys(name: str, id_number: str | None, phone: str | None) -> set[str]:
    keys = name_keys(name)
    if id_number:
        keys |= {"d" + id_number, "r" + id_number[::-1]}
        current = id_match_key(id_number)  # a 15-digit number is also found by its 18-digit form
        keys |= {"d" + current, "r" + current[::-1]}
    if phone:
        digits = re.sub(r"\D", "", phone)
        keys |= {"t" + digits, "u" + digits[::-1]}
    return keys


def needs_new_keys(name: str, id_number: str | None) -> bool:
    """Whether a client's keys from before VERSION 2 differ: the only names and numbers it changed."""
    folded = fold(name)
    return (
        folded != name
        or MIDDLE_DOT in name
        or name[:2] in COMPOUND_SURNAMES
        or name[:1] in SURNAME_READINGS
        or bool(id_number and len(id_number) == 15)
    )


def query_ranges(query: str) -> list[tuple[str, str]]:
    """The key ranges a typed query searches, each as [low, high)."""
    text = fold(query).strip().lower().replace(" ", "")
    if not text:
        return []
    prefixes: list[str]
    if re.fullmatch(r"[0-9x]+", text):
        digits = text.upper()
        prefixes = ["d" + digits, "r" + digits[::-1]]
        if len(digits) == 15:  # an old number finds the client kept under the 18-digit form
            prefixes.append("d" + id_match_key(digits))
        if "X" not in digits:
            prefixes += ["t" + digits, "u" + digits[::-1]]
    elif re.fullmatch(r"[a-z]+", text):
        prefixes = ["p" + text, "i" + text]
    elif re.fullmatch(r"[0-9a-z]+", text):  # a credit code (GB 32100), from either end
        code = text.upper()
        prefixes = ["d" + code, "r" + code[::-1]]
    else:
        prefixes = ["n" + text]
    return [(p, p + TOP) for p in prefixes]
