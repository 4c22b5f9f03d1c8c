"""Stored classification results: the standard and version applied and the facts they used."""
