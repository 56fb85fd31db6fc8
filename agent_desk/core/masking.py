"""Masking personal numbers in lists, exports and logs (PIPL): ID numbers, phones, bank accounts.

Full values are shown only where the role and the task need them, and such a view is audited.
"""

from __future__ import annotations

import re

from agent_desk.core.identity import mask_id_number

# 18-digit resident IDs (last may be X), 15-digit old IDs, mainland mobiles, 16–19 digit card numbers.
_ID18 = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{5}(\d{4})(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_CARD = re.compile(r"(?<!\d)\d{12,15}(\d{4})(?!\d)")
# SQLAlchemy puts the statement's values (names, numbers) into its error text; they never leave.
_SQL_PARAMS = re.compile(r"\[parameters: .*?\](?=\s*(?:\(Background|$))", re.S | re.M)


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    digits = phone.strip()
    return (
        digits[:3] + "****" + digits[-4:]
        if len(digits) >= 11
        else "*" * max(0, len(digits) - 4) + digits[-4:]
    )


def mask_account(account: str | None) -> str:
    """Bank account: only the last four digits."""
    if not account:
        return ""
    compact = re.sub(r"\s", "", account)
    return "*" * max(0, len(compact) - 4) + compact[-4:]


def mask_id(number: str | None) -> str:
    return mask_id_number(number) if number else ""


def mask_text(text: str) -> str:
    """Mask every ID number, mobile number and card number inside free text (log lines, crash reports)."""
    text = _SQL_PARAMS.sub("[parameters hidden]", text)
    text = _ID18.sub(lambda m: m.group(1) + "********" + m.group(2), text)
    text = _ID15.sub(lambda m: m.group(1) + "*****" + m.group(2), text)
    text = _CARD.sub(lambda m: "*" * (len(m.group(0)) - 4) + m.group(1), text)
    return _PHONE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
