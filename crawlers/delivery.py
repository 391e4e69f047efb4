"""What the store pipeline (``pipelines/store.py``) and the crawl runner (``crawlers/run.py``) agree on: the stats
that account for every item that reached the store, the Scrapy signal that has the store's buffer written now, and
the one the pipeline sends when what was scraped so far is stored (the request journal of ``--resume`` listens).

They live here, below both, so that the runner reads the pipeline's counts without importing the pipeline.
"""

# Scrapy signals (module-level objects, as Scrapy declares its own)
items_stored = object()  # sent after every write that lost nothing: items scraped so far are stored or kept
flush_store = object()  # send it to have the buffer written now (the crawl runner does on SIGTERM and SIGINT)

DELIVERY = "npswatch/delivery/"  # stats: stored, dead_lettered, lost (per item that reached the pipeline), failed
WRITE_ERRORS = "npswatch/write_errors/"  # stats: store, dead_letter (write failures, in documents)
DEAD_LETTER_FILES = "npswatch/dead_letter_files"  # stat: {path: documents kept there by this crawl}
