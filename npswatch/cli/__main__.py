"""``python -m npswatch.cli``: the ``npswatch`` command."""

from npswatch.cli import main

main()
