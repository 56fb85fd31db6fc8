"""AgentDesk store layer."""
