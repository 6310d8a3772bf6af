"""Inspect: reading DOCX files as a person sees them (effective formatting), the format checker
(``vanban check``), the text rules shared with ``vanban lint``, and the template linter."""
