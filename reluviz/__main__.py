"""``python -m reluviz`` is the ``reluviz`` command."""

import sys

from .cli import main

sys.exit(main())
