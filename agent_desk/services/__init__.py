"""AgentDesk services layer."""
