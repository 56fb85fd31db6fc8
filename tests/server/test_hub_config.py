"""Hub settings: flags over environment over hub.toml over defaults; secrets never printed, never
taken from the command line, and never handed to the API workers' environment or command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agent_desk.cli import main
from agent_desk.server.config import load_settings

SECRET = "Zq81-very-secret-pw"


def _toml(tmp_path: Path, body: str, mode: int = 0o600) -> Path:
    path = tmp_path / "hub.toml"
    path.write_text(body, encoding="utf-8")
    path.chmod(mode)
    return path


def test_flags_beat_environment_beat_file_beat_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _toml(tmp_path, 'port = 9001\nhost = "0.0.0.0"\naccess_log_days = 400\nworkers = 3\n')
    monkeypatch.setenv("AGENT_DESK_HUB_PORT", "9002")
    monkeypatch.setenv("AGENT_DESK_HUB_WORKERS", "2")
    settings = load_settings(config, {"port": 9003, "home": str(tmp_path / "hub")})
    assert settings.port == 9003  # flag
    assert settings.workers == 2  # environment over file
    assert (settings.host, settings.access_log_days) == ("0.0.0.0", 400)  # file over default
    assert (
        settings.backup_dir is None and settings.backups_dir() == tmp_path / "hub" / "backups"
    )  # default


def test_check_config_masks_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AGENT_DESK_HUB_DB_PASSWORD", SECRET)
    monkeypatch.setenv("AGENT_DESK_HUB_S3_SECRET_KEY", SECRET + "-s3")
    config = _toml(tmp_path, 'db = "postgresql+psycopg://hub@127.0.0.1:1/hub"\n')
    code = main(
        ["server", "--config", str(config), "--hub-dir", str(tmp_path / "hub"), "check-config"]
    )
    out = capsys.readouterr().out
    assert code == 1 and "数据库连接失败" in out  # nothing listens on port 1: said, not a traceback
    assert SECRET not in out and "db = postgresql+psycopg://hub:********@127.0.0.1:1/hub" in out
    assert "db_password = ********" in out
    assert "s3_secret_key = ********" in out and "s3_access_key = \n" in out


def test_a_secret_in_a_file_others_can_read_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _toml(
        tmp_path, f'db = "postgresql+psycopg://hub:{SECRET}@127.0.0.1/hub"\n', mode=0o644
    )
    assert main(["server", "--config", str(config), "check-config"]) == 2
    err = capsys.readouterr().err
    assert "chmod 600" in err and SECRET not in err
    secret_file = tmp_path / "db-password"
    secret_file.write_text(SECRET)
    secret_file.chmod(0o644)
    settings = load_settings(None, {"home": str(tmp_path / "hub")})
    with pytest.raises(Exception, match="chmod 600"):
        load_settings(None, {"home": str(tmp_path)}).model_copy(
            update={"db_password_file": secret_file}
        ).password()
    assert settings.password() is None


def test_no_password_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"postgresql+psycopg://hub:{SECRET}@127.0.0.1/hub"
    assert main(["server", "--db", url, "--hub-dir", str(tmp_path), "check-config"]) == 2
    assert "命令行" in capsys.readouterr().err


def test_a_typo_in_the_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _toml(tmp_path, 'prot = 8000\nport = "eighty"\n')
    assert main(["server", "--config", str(config), "check-config"]) == 2
    err = capsys.readouterr().err
    assert (
        "prot" in err and "port" in err and "eighty" not in err
    )  # input never echoed (it may be a secret)


def test_the_shipped_example_settings_and_systemd_unit_are_valid(tmp_path: Path) -> None:
    deploy = Path(__file__).resolve().parents[2] / "deploy"
    settings = load_settings(deploy / "hub.toml.example", {"home": str(tmp_path)})
    assert settings.workers == 2 and settings.behind_proxy and settings.access_log_days == 180
    analyze = shutil.which("systemd-analyze")
    assert analyze is not None, "systemd-analyze is missing: `make sysdeps` installs systemd"
    unit = tmp_path / "agent-desk-hub.service"
    text = (deploy / "agent-desk-hub.service").read_text(encoding="utf-8")
    unit.write_text(
        text.replace("/opt/agent-desk/bin/agent-desk", sys.executable), encoding="utf-8"
    )
    done = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_a_desk_without_the_hub_packages_says_the_hub_is_installed_separately(
    tmp_path: Path,
) -> None:
    """As in the frozen desk bundle, which leaves out orjson, fastapi and uvicorn."""
    script = (
        "import sys\n"
        "for name in ('orjson', 'fastapi', 'uvicorn', 'pydantic_settings', 'prometheus_client'):\n"
        "    sys.modules[name] = None\n"
        "from agent_desk.cli import main\n"
        f"sys.exit(main(['server', '--hub-dir', {str(tmp_path)!r}, 'create-village', '620524100200', '洛门村',"
        " '--township', '620524100', '--township-name', '洛门镇']))\n"
    )
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=repo, check=False
    )
    assert done.returncode == 2 and "单独安装" in done.stderr and "Traceback" not in done.stderr
