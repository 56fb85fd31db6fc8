"""No password, data key, token or personal number in plain text anywhere in the data folder or logs."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.secrets_scan import full_session, scan


def test_no_secret_or_personal_data_in_plain_text_after_a_full_session(tmp_path: Path) -> None:
    data, plain = full_session(tmp_path)
    files = [p for p in data.root.rglob("*") if p.is_file()]
    assert any(p.suffix == ".log" for p in files) and any("backups" in p.parts for p in files)
    assert scan(data.root, plain) == []
