"""AgentDesk sync layer."""
