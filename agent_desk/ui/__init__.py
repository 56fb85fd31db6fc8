"""AgentDesk ui layer."""
