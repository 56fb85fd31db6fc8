"""What the first-run wizard decided, and the hooks that act on the secrets it collected.

The wizard (ui/first_run.py) only gathers answers. Two hooks are left for the security and sync
work: ``protect_local_data`` gets the password chosen for the local data (it will key the
encrypted database), ``remember_login`` gets the hub login (checked against the hub at the first
sync). Neither secret is ever written to the settings file.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from agent_desk.services.settings import Settings, load_settings, save_settings
from agent_desk.store.datadir import DataDir

if TYPE_CHECKING:  # the region tables and the database layer load after the window shows
    from agent_desk.services.desk_setup import DeskSetup

log = logging.getLogger(__name__)
MIN_PASSWORD = 8


@dataclass
class FirstRunChoice:
    language: str = "zh_CN"
    role: str = "agent"
    hub_url: str = ""  # empty: work offline for now
    username: str = ""
    login_password: str = field(default="", repr=False)
    local_password: str = field(default="", repr=False)
    demo: bool = False
    setup: DeskSetup | None = None  # the offline path: the agent and the desk's villages

    def settings(self, base: Settings | None = None) -> Settings:
        """The settings to store: no password, ever."""
        settings = dataclasses.replace(
            base or Settings(),
            language=self.language,
            role=self.role,
            work_offline=not self.hub_url,
            demo=self.demo,
        )
        settings.sync = dataclasses.replace(
            settings.sync, hub_url=self.hub_url.rstrip("/"), username=self.username
        )
        return settings.validated()


def normalise_hub_url(text: str) -> str | None:
    """``http(s)://host[:port][/path]`` without a trailing slash; None when it is not one."""
    text = text.strip()
    if text and "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port  # raises on a bad port
    except ValueError:
        return None
    host = parts.hostname or ""
    if (
        parts.scheme not in ("http", "https")
        or not host
        or " " in host
        or parts.query
        or parts.fragment
    ):
        return None
    if "." not in host and host != "localhost" and port is None:
        return None
    return text.rstrip("/")


def password_problem(password: str, repeated: str) -> str | None:
    """Why the local-data password cannot be used (a key for tr()), or None."""
    if len(password) < MIN_PASSWORD:
        return "too_short"
    if password.isdigit() and len(set(password)) <= 2:  # the vault refuses these too (store.crypto)
        return "too_simple"
    if password != repeated:
        return "mismatch"
    return None


ProtectLocalData = Callable[[DataDir, str], None]
RememberLogin = Callable[[str, str, str], None]


def no_encryption_yet(data: DataDir, password: str) -> None:
    """Default hook until the encrypted store lands: the password is not kept anywhere."""
    log.info(
        "local data password chosen for %s; encryption is not enabled in this build", data.root
    )


def login_later(hub_url: str, username: str, password: str) -> None:
    """Default hook until sync lands: the login is checked against the hub at the first sync."""
    log.info(
        "hub login for %s at %s recorded; checked at the first sync",
        username,
        hub_url or "(offline)",
    )


@dataclass
class FirstRunHooks:
    protect_local_data: ProtectLocalData = no_encryption_yet
    remember_login: RememberLogin = login_later


class DeskHooks(FirstRunHooks):
    """What the real app does with the wizard's answers: the password encrypts the local data at
    once (the key is kept for this session, so it is not asked again), and the hub address and user
    go to the sync settings; the hub password is checked at the first sync, which asks for it."""

    def __init__(self) -> None:
        super().__init__(protect_local_data=self._protect, remember_login=self._remember)
        self.key: bytes | None = None

    def _protect(self, data: DataDir, password: str) -> None:
        from agent_desk.services.vault import setup_password

        self.key = setup_password(data, password)

    @staticmethod
    def _remember(hub_url: str, username: str, password: str) -> None:
        log.info(
            "hub %s and user %s kept; the first sync asks for the password",
            hub_url or "(offline)",
            username,
        )


def configure_sync(data: DataDir, hub_url: str, username: str) -> None:
    """The hub and login go to the sync section, their one home (the engine reads and writes it)."""
    from agent_desk.sync.settings import load_settings as load_sync
    from agent_desk.sync.settings import save_settings as save_sync

    if hub_url and username:
        current = load_sync(data.settings_file)
        current.hub_url, current.username = hub_url.rstrip("/"), username
        save_sync(data.settings_file, current)


def apply_first_run(
    choice: FirstRunChoice, data: DataDir, hooks: FirstRunHooks | None = None
) -> Settings:
    """Hand the secrets to their hooks, then write the settings file (which ends the first run)."""
    hooks = hooks or FirstRunHooks()
    if not choice.demo:
        if choice.local_password:
            hooks.protect_local_data(data, choice.local_password)
        if choice.username:
            hooks.remember_login(choice.hub_url, choice.username, choice.login_password)
    settings = choice.settings()
    if choice.setup is not None and not choice.demo:
        settings = set_up_desk(data, choice.setup, settings, getattr(hooks, "key", None))
    save_settings(data.settings_file, settings)
    if not choice.demo:
        configure_sync(data, choice.hub_url, choice.username)
    return settings


def set_up_desk(data: DataDir, setup: DeskSetup, settings: Settings, key: bytes | None) -> Settings:
    """The offline answers go into the new desk's database (keyed by the password just chosen)."""
    from agent_desk.services.desk import open_desk
    from agent_desk.services.desk_setup import apply_setup

    desk = open_desk(data.root, key=key, actor="setup")
    try:
        with desk.db.session() as session:
            settings, _report = apply_setup(setup, settings, session=session)
            session.commit()
    finally:
        desk.close()
    return settings


def needs_first_run(settings_file: Path) -> bool:
    """No settings yet, or only what a demo start wrote: a real start still asks its questions."""
    return not settings_file.exists() or bool(load_settings(settings_file).extra.get("demo_only"))
