"""Compiles the message catalogs (generator/locale/*/LC_MESSAGES/*.po → .mo) when the package is
built, so that wheels ship them; everything else is in pyproject.toml."""

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogs(build_py):
    def run(self):
        from pathlib import Path

        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in Path("generator/locale").glob("*/LC_MESSAGES/*.po"):
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=po.parent.parent.name)
            with po.with_suffix(".mo").open("wb") as fh:
                write_mo(fh, catalog)
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogs})
