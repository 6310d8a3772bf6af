"""``python -m generator.cli``: the same as the ``vanban`` command."""

import sys

from generator.cli.app import main

sys.exit(main())
