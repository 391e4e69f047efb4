"""One module per demo site: its routes and handlers; templates live in ``demosites/templates/<site>/``."""
