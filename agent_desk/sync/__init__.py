"""Desk side of sync: push the outbox, pull the hub's changes, keep conflicts for a person to resolve."""
