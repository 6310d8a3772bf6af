"""The office in a browser: a Django application started by ``vanban serve``.

Only this package knows HTTP. Every call into vanban's core (load and validate YAML, render, convert,
derive) goes through :mod:`generator.web.core`, so that the core can be swapped in one place.
"""
