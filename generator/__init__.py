"""vanban: structured data → Vietnamese Communist Party documents (Kế hoạch, Báo cáo) in DOCX and PDF.

Stages, one direction: load (``loader``) → transform → render (``render``) → convert.
Vietnamese language rules live in ``vn``; the document model in ``model``.
"""

__version__ = "0.1.0"
