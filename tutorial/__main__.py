"""``python -m tutorial``: the same as the ``tutorial`` console script."""

import sys

from tutorial.cli import main

sys.exit(main())
