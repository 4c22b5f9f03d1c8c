"""Reports and statistics over classification results (Alkire-Foster now; report set next)."""
