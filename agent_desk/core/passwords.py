"""Password quality, one rule for the desk and the hub: long enough, not among the commonest
passwords (including Chinese keyboard and pinyin habits), not one repeated character, not a run.

The reason is returned in Chinese for the person choosing the password.
"""

from __future__ import annotations

MIN_LENGTH = 8
_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz")
# The commonest passwords of 8 characters or more in published Chinese and worldwide leak studies.
COMMON = frozenset(
    [
        "password",
        "password1",
        "password123",
        "passw0rd",
        "iloveyou",
        "iloveyou1",
        "woaini1314",
        "woaini520",
        "woaini123",
        "5201314520",
        "13145201314",
        "52013145201314",
        "1314520520",
        "woaiwojia",
        "aini1314",
        "wangyang",
        "zhangwei",
        "wang1234",
        "li123456",
        "zhang123",
        "a12345678",
        "a123456789",
        "abc12345",
        "abc123456",
        "abcd1234",
        "aa123456",
        "aa12345678",
        "qq123456",
        "qq123456789",
        "qwe12345",
        "qwe123456",
        "qwer1234",
        "1qaz2wsx",
        "1q2w3e4r",
        "1q2w3e4r5t",
        "1q2w3e4r5t6y",
        "qaz123456",
        "zxc12345",
        "zxc123456",
        "asd12345",
        "asd123456",
        "admin123",
        "admin1234",
        "administrator",
        "123456aa",
        "123456abc",
        "12345678a",
        "123456789a",
        "1234qwer",
        "123qwe123",
        "5201314a",
        "11111111a",
        "147258369",
        "159357456",
        "147852369",
        "789456123",
        "741852963",
        "321654987",
        "woshishui",
        "shanghai",
        "beijing123",
        "zhongguo",
        "china123",
        "dearbook",
        "sunshine",
        "football",
        "baseball",
        "superman",
        "computer",
        "princess",
        "welcome1",
        "trustno1",
        "letmein1",
        "changeme",
        "monkey123",
        "dragon123",
        "master123",
        "michael1",
        "1234abcd",
        "12qwaszx",
        "88888888a",
        "66666666a",
        "11223344",
        "12341234",
        "12344321",
        "11112222",
        "13579246",
        "20082008",
        "19901990",
        "19881988",
    ]
)


def _is_run(text: str) -> bool:
    """A stretch of one keyboard row or the alphabet, forwards or backwards (12345678, asdfghjk)."""
    lowered = text.lower()
    for row in _ROWS:
        cycle = row + row
        if lowered in cycle or lowered[::-1] in cycle:
            return True
    return False


def password_problem(password: str) -> str | None:
    """Why ``password`` is too weak, in Chinese; None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"密码至少 {MIN_LENGTH} 位"
    if len(set(password)) == 1:
        return "密码不能全是同一个字符"
    if password.isdigit() and len(set(password)) <= 2:
        return "密码过于简单，请换一个"
    if password.lower() in COMMON or _is_run(password):
        return "这是最常见的密码之一（或连续的键盘字符），请换一个"
    return None
