"""The reports' background jobs, found by the worker's autodiscovery (with their handlers and chores)."""

from .pdf_jobs import make_report_pdf, purge_old_pdfs

__all__ = ["make_report_pdf", "purge_old_pdfs"]
