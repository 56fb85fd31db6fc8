"""AgentDesk catalog layer."""
