"""Source health: the run history of every crawl and the checks that find each crawl's health problems.

``history`` (the SQLite run history and availability record), ``checks`` (one run against the source's ``health:``
thresholds and its recent runs: its availability and its problems) and ``status`` (what ``npswatch status`` shows).
Turning problems into source-health signals is ``signals.health``; the scheduler itself is ``scheduler.py`` at the
top.
"""
