"""Early warning, in one package: series from the store (``series``), the detectors (``detectors``), signal runs
(``run``), episodes (``episodes``), the signal record (``model``), the one signal store (``store``), source-health
signals from the health checks' problems (``health``), delivery to the EWS (``delivery``) and backtests
(``backtest``).  A *signal* is the record an EWS receives; docs/signals.md names the rest.
"""
