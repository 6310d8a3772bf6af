"""Render: model → DOCX bytes through a template (context building, the compiled docxtpl engine, OOXML
layout helpers, the report chart). Knows no YAML and no command line."""
