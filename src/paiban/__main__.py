"""`python -m paiban` is the same as the `paiban` command."""

import sys

from paiban.cli import main

sys.exit(main())
