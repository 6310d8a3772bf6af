"""Model: the typed document tree (plans, reports, progress) and its semantic checks.

It knows no YAML, DOCX or HTTP; readers in :mod:`generator.io` build it, :mod:`generator.transform`
turns one model into another, :mod:`generator.render` writes it out. Imports only :mod:`generator.lang`.
"""
