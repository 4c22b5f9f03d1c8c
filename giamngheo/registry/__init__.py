"""Households and members keyed by national id, with the full history of every change."""
