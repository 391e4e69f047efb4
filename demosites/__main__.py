"""``python -m demosites``: serve every demo site until Ctrl-C."""

from demosites.server import main

main()
