"""Exporters of the kernel trace for outside viewers (Chrome Trace Event Format)."""
