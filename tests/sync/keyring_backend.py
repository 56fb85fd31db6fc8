"""Keyring backends for tests: in memory, and one reading a token from the environment (subprocesses)."""

from __future__ import annotations

import os

import keyring.backend
import keyring.errors


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.store.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


class EnvKeyring(MemoryKeyring):
    """For ``agent-desk sync`` run as a subprocess: the token comes from AGENT_DESK_TEST_TOKEN."""

    def get_password(self, service: str, username: str) -> str | None:
        return os.environ.get("AGENT_DESK_TEST_TOKEN")
