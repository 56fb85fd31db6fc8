"""AgentDesk fill layer."""
