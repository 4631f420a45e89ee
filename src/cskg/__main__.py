"""``python -m cskg``: the same as the ``cskg`` command."""

from cskg.cli import main

main()
