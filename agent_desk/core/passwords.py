"""Password quality, one rule for the desk and the hub: long enough, not among the commonest
passwords (including Chinese keyboard and pinyin habits), not one repeated character, not a run.

The reason is returned in Chinese for the person choosing the password.
"""

from __future__ import annotations

import functools
from pathlib import Path

MIN_LENGTH = 8
_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz")
COMMON_FILE = Path(__file__).with_name("data") / "common-passwords.txt"
_TRAILING = "!@#$%^&*.?~_-+= "  # "woaini1314!" is as weak as "woaini1314"


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list of the 10,000 commonest passwords (scripts/make_common_passwords.py)."""
    lines = COMMON_FILE.read_text(encoding="ascii").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def is_common(password: str) -> bool:
    lowered = password.lower()
    return lowered in common_passwords() or lowered.rstrip(_TRAILING) in common_passwords()


def _is_run(text: str) -> bool:
    """A stretch of one keyboard row or the alphabet, forwards or backwards (12345678, asdfghjk)."""
    lowered = text.lower()
    for row in _ROWS:
        cycle = row + row
        if lowered in cycle or lowered[::-1] in cycle:
            return True
    return False


def password_problem(password: str, lang: str = "zh_CN") -> str | None:
    """Why ``password`` is too weak, in Chinese (or English with ``lang="en"``); None when acceptable."""
    en = lang == "en"
    if len(password) < MIN_LENGTH:
        return f"At least {MIN_LENGTH} characters" if en else f"密码至少 {MIN_LENGTH} 位"
    if len(set(password)) == 1:
        return "Not one character repeated" if en else "密码不能全是同一个字符"
    if password.isdigit() and len(set(password)) <= 2:
        return "Too simple: choose another" if en else "密码过于简单，请换一个"
    if is_common(password):
        if en:
            return "One of the 10,000 most common passwords, easily guessed: choose another"
        return "这是最常见的一万个密码之一（如 woaini1314、qq123456、1qaz2wsx），很容易被猜中，请换一个"
    if _is_run(password):
        if en:
            return "A run of keyboard keys or letters (12345678, qwertyui): choose another"
        return "密码是连续的键盘字符或字母（如 12345678、qwertyui），请换一个"
    return None
