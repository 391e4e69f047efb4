"""Test beds for the early-warning signals: markets and forums that are not part of the demo.

Each bed is a market and a forum with their own markup, currency, languages and timeline (more than 60 simulated
days), served by ``demosites.server`` like the demo sites (``DemoSites(sites=["fernweh_market", ...])``) but never
by ``npswatch demo``.  Their source files and event scripts live in ``bench/markets/<bed>/``, and
``bench/signals_bench.py`` replays them (docs/benchmarks.md).

- ``model``: what a bed is made of (substances, scripted happenings, words);
- ``market`` and ``forum``: any day of a bed's market or forum, drawn from a seed;
- ``holdout_a`` to ``holdout_f``: the beds (``holdout_b``, ``holdout_c`` and ``holdout_d`` were sealed until
  2026-12-07; ``holdout_e`` and ``holdout_f`` are sealed);
- ``registry``: the bed sites the server knows, with their ports and faults.
"""
