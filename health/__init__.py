"""Source health: the run history of scheduled crawls, checks against each source's thresholds, and signals.

``history`` (the SQLite run history and availability record), ``checks`` (pure: one run against
the source's ``health:`` thresholds and its recent runs), ``signals`` (episodes, delivery) and
``status`` (what ``npswatch status`` shows).  The scheduler itself is ``scheduler.py`` at the top.
"""
