"""The REST API (django-ninja): thin endpoints over the same selectors, scoped by area."""
