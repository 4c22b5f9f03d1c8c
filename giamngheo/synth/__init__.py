"""Synthetic households and members in the data contract, deterministic by seed (no Django)."""
