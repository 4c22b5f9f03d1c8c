"""Users, their roles in units with dates, and access.py: the one scoping layer."""
