"""Shared ground: audit events, errors, the clock, the official code lists."""
