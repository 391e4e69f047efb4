"""Pieces of source files for tests that write their own: what every source file must declare (its page bound
and its health thresholds)."""

HEALTH = """\
max_pages: 5000
health:
  min_items: 0
  min_fill:
    listing:
      title: 0.5
  max_drop: 0.3
  history_runs: 5
  down_after_failures: 2
  gone_after_days: 7
  max_error_share: 0.2
  max_duration_factor: 3
"""
