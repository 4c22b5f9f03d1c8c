"""The Vietnamese web app: thin views over registry, review and report selectors and services."""
