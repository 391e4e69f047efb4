"""Invented local sites for demos and tests: two markets, two forums and a shop, served as of any day.

``demosites.server`` serves them (``python -m demosites``); ``demosites.timeline`` holds the
42-day timeline and its scripted events; the ``*_day`` functions of ``markets``, ``forums`` and
``shop`` give any day's content; ``demo`` (with ``demo_health``) is ``npswatch demo``: the sites served, every
demo source crawled over the simulated days and checked.  See docs/demo-timeline.md.
``demosites.beds`` holds the signals benchmark's test beds (served by the same server when named, never by
``npswatch demo``).
"""
