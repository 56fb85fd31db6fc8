"""No password, data key, token or personal number in plain text anywhere in the data folder or
logs, nor in older backups, crash reports, or the hub's folder and logs."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.secrets_scan import full_scan, full_session, scan


def test_no_secret_or_personal_data_in_plain_text_after_a_full_session(tmp_path: Path) -> None:
    data, plain = full_session(tmp_path)
    files = [p for p in data.root.rglob("*") if p.is_file()]
    assert any(p.suffix == ".log" for p in files) and any("backups" in p.parts for p in files)
    assert scan(data.root, plain) == []


def test_nor_in_old_backups_crash_reports_or_the_hubs_folder(tmp_path: Path) -> None:
    assert full_scan(tmp_path) == []
    hub_files = [p for p in (tmp_path / "hub").rglob("*") if p.is_file()]
    assert any("blobs" in p.parts and "objects" in p.parts for p in hub_files)  # the scan is there
    assert any(p.suffix in (".log", ".jsonl", ".json") or "logs" in p.parts for p in hub_files)
