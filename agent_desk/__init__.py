"""AgentDesk (代办通): offline-first desk for village proxy agents and township reviewers."""

__version__ = "0.1.0"
