"""Convert: DOCX → PDF through LibreOffice headless, in batches, with timeouts and PDF/A."""
