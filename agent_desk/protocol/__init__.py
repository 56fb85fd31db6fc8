"""The wire protocol and its rules, imported by the desk and the hub alike (one rule set, DESIGN.md §4).

``wire`` holds the messages; ``values`` what each field may hold; ``roles`` who may write what;
``steps`` the case state machine as the hub applies it. It imports only ``core``.
"""

from agent_desk.protocol.wire import *  # noqa: F403
from agent_desk.protocol.wire import __all__ as _wire_all

__all__ = list(_wire_all)
