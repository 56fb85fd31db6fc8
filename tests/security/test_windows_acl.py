"""Windows: data folders get an ACL of their user only (icacls). It cannot run here: the command
is checked as built, and the call as made when the platform is win32."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import agent_desk.paths as paths
from agent_desk.store.datadir import DataDir


def test_the_icacls_command_drops_inherited_entries_and_grants_the_user_only() -> None:
    command = paths.windows_acl_command(Path(r"D:\代办数据"), r"LUOMEN\wangjg")
    assert command == [
        "icacls",
        r"D:\代办数据",
        "/inheritance:r",
        "/grant:r",
        r"LUOMEN\wangjg:(OI)(CI)F",
        "/grant:r",
        "*S-1-5-18:(OI)(CI)F",
        "/Q",
    ]


def test_without_pywin32_the_user_is_domain_and_name(monkeypatch) -> None:
    monkeypatch.setenv("USERDOMAIN", "LUOMEN")
    monkeypatch.setenv("USERNAME", "wangjg")
    monkeypatch.setitem(sys.modules, "win32api", None)  # import fails as on a desk without it
    assert paths.windows_user() == r"LUOMEN\wangjg"


def test_a_desk_folder_on_windows_is_restricted_once(monkeypatch, tmp_path) -> None:
    calls: list[list[str]] = []

    def icacls(command, **_kw):
        calls.append(command)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(paths.sys, "platform", "win32")
    monkeypatch.setattr(subprocess, "run", icacls)
    monkeypatch.setattr(paths, "_restricted", set())
    monkeypatch.setattr(paths, "windows_user", lambda: "*S-1-5-21-1-2-3-1001")
    data = DataDir(tmp_path / "desk")
    data.ensure()
    data.ensure()
    assert calls == [paths.windows_acl_command(data.root, "*S-1-5-21-1-2-3-1001")]


def test_a_failing_icacls_is_logged_and_the_desk_still_opens(monkeypatch, tmp_path, caplog) -> None:
    monkeypatch.setattr(paths.sys, "platform", "win32")
    monkeypatch.setattr(
        subprocess, "run", lambda command, **_kw: subprocess.CompletedProcess(command, 5)
    )
    monkeypatch.setattr(paths, "_restricted", set())
    monkeypatch.setattr(paths, "windows_user", lambda: "x")
    assert paths.private_folder(tmp_path / "hub").is_dir()
    assert "icacls" in caplog.text
