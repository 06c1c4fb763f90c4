"""Adapters that write documents: XLSX, DOCX, JSON, PDF; reproducible bytes, atomic output."""
