"""Delivery of signals to the EWS: webhook, e-mail, Atom feed, EWS notification export (docs/signals.md); MISP
events on request (``signals.delivery.misp``, ``npswatch signals export --format misp``).

The one entry point, for signal runs and for the scheduler's source-health signals alike::

    from signals.delivery import deliver, load_config
    report = deliver(signals, load_config())   # config: $NPSWATCH_ALERTS_CONFIG or alerts.yml
    config, where = delivery_config(db)         # the same, or without a file the Atom feed beside the signal store

Each configured channel gets every signal at or above ``min_severity`` (and of ``types`` when given).  A channel
that fails does not stop the others; the webhook dead-letters what it could not deliver.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field

from npswatch import settings
from signals.delivery import atom, ews, smtp, webhook
from signals.delivery.config import (
    WEBHOOK_SECRET_ENV,
    ConfigError,
    DeliveryConfig,
    config_path,
    default_config,
    delivery_config,
    load_config,
)
from signals.delivery.retry import dead_letter
from signals.model import Signal

__all__ = [
    "ConfigError",
    "DeliveryConfig",
    "DeliveryReport",
    "config_path",
    "default_config",
    "deliver",
    "delivery_config",
    "load_config",
]

logger = logging.getLogger(__name__)
_RANK = {"low": 0, "medium": 1, "high": 2}


@dataclass
class DeliveryReport:
    """Per channel: how many signals (messages, entries, files) went out, and what failed."""

    sent: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(self.failed.values())

    def summary(self) -> str:
        parts = [f"{name} {n}" for name, n in self.sent.items() if n]
        parts += [f"{name} failed {n}" for name, n in self.failed.items() if n]
        return ", ".join(parts) or "nothing to deliver"


def select(signals: Iterable[Signal], config: DeliveryConfig) -> list[Signal]:
    floor = _RANK[config.min_severity]
    return [s for s in signals if _RANK.get(s.severity, 0) >= floor and (not config.types or s.type in config.types)]


def deliver(signals: Iterable[Signal], config: DeliveryConfig) -> DeliveryReport:
    """Send ``signals`` through every channel of ``config``; never raises for a channel failure."""
    chosen = select(signals, config)
    report = DeliveryReport()
    if config.webhook is not None:
        _webhook(config, chosen, report)
    if config.email is not None:
        try:
            report.sent["email"] = smtp.send(config.email, chosen)
        except (smtplib.SMTPException, OSError) as exc:
            report.failed["email"] = 1
            report.errors.append(f"email: {type(exc).__name__}: {exc}")
    if config.atom is not None:
        report.sent["atom"] = len(chosen)
        atom.write_feed(config.atom, chosen)
    if config.ews_export is not None:
        report.sent["ews_export"] = len(ews.export(config.ews_export, chosen))
    for error in report.errors:
        logger.warning("delivery failed: %s", error)
    return report


def _webhook(config: DeliveryConfig, chosen: list[Signal], report: DeliveryReport) -> None:
    assert config.webhook is not None
    secret = settings.secret(WEBHOOK_SECRET_ENV)
    sent = failed = 0
    for s in chosen:
        if not secret:
            dead_letter(config.webhook.dead_letter, "webhook", config.webhook.url, s.id, 0,
                        f"{WEBHOOK_SECRET_ENV} is not set", webhook.body_of(s.to_json()).decode("utf-8"))  # fmt: skip
            failed += 1
            continue
        ok, _, error = webhook.send(config.webhook, secret, s.to_json())
        sent, failed = sent + ok, failed + (not ok)
        if not ok:
            report.errors.append(f"webhook: {s.id}: {error} (dead-lettered to {config.webhook.dead_letter})")
    if not secret and chosen:
        report.errors.append(f"webhook: {WEBHOOK_SECRET_ENV} is not set; {len(chosen)} signal(s) dead-lettered")
    report.sent["webhook"], report.failed["webhook"] = sent, failed
