"""Data in and out in the data contract: import, export, templates (survey forms and API next)."""
