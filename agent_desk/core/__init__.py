"""AgentDesk core layer."""
