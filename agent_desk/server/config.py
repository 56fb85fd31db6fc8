"""The hub's settings: one registry with defaults, read from flags, environment and a TOML file.

Precedence, highest first: command-line flags, ``AGENT_DESK_HUB_*`` environment variables, the TOML
file given with ``--config``, the defaults below. Secrets (the database password) never come from the
command line, where ``ps`` would show them: they come from the environment, from a ``*_file`` that
only the service user can read (systemd ``LoadCredential=``), or from a TOML file that only the
service user can read. ``server --workers N`` hands its workers the config path and the flags only,
so the password is never copied into a worker's environment or command line.
"""

from __future__ import annotations

import json
import os
import stat
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from sqlalchemy.engine import make_url

from agent_desk.core.errors import DomainError
from agent_desk.protocol import DESK_VERSION_PATTERN

ENV_PREFIX = "AGENT_DESK_HUB_"
WORKER_ENV = "AGENT_DESK_HUB_WORKER_ARGS"  # config path and flags (never secrets) for --workers
MASK = "********"
SECRET_FIELDS = ("db_password", "s3_access_key", "s3_secret_key", "blob_key")


class HubSettings(BaseSettings):
    """Every hub setting, with its default. Paths left empty derive from ``home``."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", validate_default=True)

    home: Path | None = Field(None, description="服务器数据文件夹 (hub data folder)")
    db: str | None = Field(
        None, description="数据库地址，不含密码 (database URL; SQLite in home by default)"
    )
    db_password: SecretStr | None = Field(None, description="数据库密码 (environment or TOML only)")
    db_password_file: Path | None = Field(None, description="存放数据库密码的文件 (mode 600)")
    host: str = "127.0.0.1"
    port: int = Field(8765, ge=1, le=65535)
    workers: int = Field(1, ge=1, le=64)
    certfile: Path | None = None
    keyfile: Path | None = None
    behind_proxy: bool = False
    access_log: bool = True
    access_log_dir: Path | None = Field(None, description="访问日志文件夹 (default: home/logs)")
    access_log_days: int = Field(
        180, ge=1, description="访问日志保留天数 (网络安全法 第二十一条: at least 180)"
    )
    backup_dir: Path | None = Field(None, description="备份文件夹 (default: home/backups)")
    blob_store: Literal["local", "s3"] = "local"
    s3_endpoint: str | None = Field(
        None, description="S3 地址 (MinIO/Ceph RGW/cloud), e.g. https://minio.county:9000"
    )
    s3_bucket: str = "agent-desk"
    s3_region: str = "us-east-1"
    s3_prefix: str = ""
    s3_access_key: SecretStr | None = None
    s3_secret_key: SecretStr | None = None
    min_desk_version: str | None = Field(
        None,
        pattern=DESK_VERSION_PATTERN,
        description="代办端最低版本，如 0.2.0；更旧的代办端被要求升级 (minimum desk version)",
    )
    blob_key: SecretStr | None = Field(
        None, description="扫描件加密密钥，64 位十六进制 (environment or TOML only)"
    )
    blob_key_file: Path | None = Field(
        None, description="存放扫描件加密密钥的文件 (mode 600, outside the data folder)"
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls)

    @field_validator("db_password_file", "certfile", "keyfile", "blob_key_file")
    @classmethod
    def _file_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.expanduser().is_file():
            raise ValueError("文件不存在 (no such file)")
        return value.expanduser() if value else None

    def data_dir(self) -> Path:
        from agent_desk.server.db import hub_data_dir

        return hub_data_dir(self.home)

    def password(self) -> str | None:
        if self.db_password is not None:
            return self.db_password.get_secret_value()
        if self.db_password_file is not None:
            _require_private(self.db_password_file, "数据库密码文件")
            return self.db_password_file.read_text(encoding="utf-8").strip() or None
        return None

    def blob_key_bytes(self) -> bytes | None:
        """The key that seals scans at rest (server/sealed_blobs.py); kept outside the data folder,
        so the folder, its disk or its backup alone reveal no scan."""
        from agent_desk.server.sealed_blobs import parse_blob_key

        if self.blob_key is not None:
            return parse_blob_key(self.blob_key.get_secret_value())
        if self.blob_key_file is None:
            return None
        home = self.data_dir().resolve()
        if self.blob_key_file.resolve().is_relative_to(home):
            raise DomainError(
                f"扫描件加密密钥文件 {self.blob_key_file} 不能放在服务器数据文件夹 {home} 里",
                code="blob_key_in_data",
                message_en="the blob key file must live outside the hub's data folder",
            )
        _require_private(self.blob_key_file, "扫描件加密密钥文件")
        return parse_blob_key(self.blob_key_file.read_text(encoding="utf-8"))

    def database_url(self) -> str:
        """The URL the hub connects with, password included (never printed: see ``masked_url``)."""
        from agent_desk.server.db import default_url

        url = make_url(self.db or default_url(self.data_dir()))
        password = self.password()
        if password and url.password is None:
            url = url.set(password=password)
        return url.render_as_string(hide_password=False)

    def masked_url(self) -> str:
        return (
            make_url(self.database_url()).render_as_string(hide_password=True).replace("***", MASK)
        )

    def logs_dir(self) -> Path:
        return (self.access_log_dir or self.data_dir() / "logs").expanduser()

    def backups_dir(self) -> Path:
        return (self.backup_dir or self.data_dir() / "backups").expanduser()

    def effective(self) -> dict[str, str]:
        """Every setting as ``check-config`` prints it: secrets masked, derived paths filled in."""
        shown: dict[str, str] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            shown[name] = (
                MASK
                if name in SECRET_FIELDS and value is not None
                else ("" if value is None else str(value))
            )
        shown.update(
            home=str(self.data_dir()),
            db=self.masked_url(),
            access_log_dir=str(self.logs_dir()),
            backup_dir=str(self.backups_dir()),
        )
        return shown


def load_settings(
    config: Path | None = None, overrides: dict[str, Any] | None = None
) -> HubSettings:
    """Flags (``overrides``) over environment over the TOML file over defaults; a clear error otherwise."""
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    if overrides.get("db") and make_url(overrides["db"]).password is not None:
        raise DomainError(
            "数据库密码不能写在命令行上，请用环境变量 AGENT_DESK_HUB_DB_PASSWORD 或 db_password_file",
            code="secret_on_command_line",
            message_en="no password on the command line: ps shows it",
        )
    toml_file = _checked_toml(config) if config else None

    class FromFile(HubSettings):
        model_config = SettingsConfigDict(toml_file=toml_file)

    try:
        settings: HubSettings = FromFile(**overrides)
    except ValidationError as exc:
        raise DomainError(
            f"服务器配置有误：{_explain(exc)}", code="bad_config", message_en="invalid settings"
        ) from exc
    return settings


def _checked_toml(config: Path) -> Path:
    path = config.expanduser().resolve()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DomainError(
            f"读不到配置文件 {path}", code="config_missing", message_en=str(exc)
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise DomainError(
            f"配置文件 {path} 格式有误：{exc}", code="bad_config", message_en=str(exc)
        ) from exc
    db = data.get("db")
    secrets_here = any(data.get(name) for name in SECRET_FIELDS)
    if secrets_here or (isinstance(db, str) and make_url(db).password is not None):
        _require_private(path, "含有密码的配置文件")
    return path


def _require_private(path: Path, what: str) -> None:
    """A file holding a secret must be readable by its owner only (like ssh's private keys)."""
    if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise DomainError(
            f"{what} {path} 其他用户也能读取，请执行 chmod 600 {path}",
            code="secret_file_mode",
            message_en="a file holding a secret must be mode 600",
        )


def _explain(exc: ValidationError) -> str:
    """Field and reason only: pydantic's own text echoes the input, which may be a secret."""
    return "；".join(
        f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors(include_input=False)
    )


def worker_env(config: Path | None, overrides: dict[str, Any]) -> str:
    """What the parent hands to each worker: the config path and the flags, which hold no secret."""
    clean = {k: str(v) if isinstance(v, Path) else v for k, v in overrides.items() if v is not None}
    return json.dumps(
        {"config": str(config.expanduser().resolve()) if config else None, "overrides": clean}
    )


def settings_from_worker_env() -> HubSettings:
    args = json.loads(os.environ[WORKER_ENV])
    return load_settings(Path(args["config"]) if args["config"] else None, args["overrides"])
