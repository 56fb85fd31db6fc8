"""AgentDesk server layer."""
