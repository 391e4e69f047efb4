"""E-mail: SMTP with STARTTLS (the server's certificate verified), one digest per run or one message per signal.

Login only when ``$NPSWATCH_SMTP_USERNAME`` is set (password ``$NPSWATCH_SMTP_PASSWORD``), and never before
STARTTLS has succeeded when ``starttls`` is on: a server that does not offer it is refused.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from npswatch import settings
from signals.delivery.config import SMTP_PASSWORD_ENV, SMTP_USERNAME_ENV, EmailConfig
from signals.model import Signal


def messages(config: EmailConfig, signals: list[Signal]) -> list[EmailMessage]:
    if not signals:
        return []
    if config.digest:
        subject = f"{config.subject_prefix} {len(signals)} signal(s): " + ", ".join(
            sorted({f"{s.type} {s.subject}" for s in signals})[:5])  # fmt: skip
        return [_message(config, subject[:200], "\n\n".join(text_of(s) for s in signals))]
    return [_message(config, f"{config.subject_prefix} {s.type}: {s.subject} ({s.severity})", text_of(s))
            for s in signals]  # fmt: skip


def _message(config: EmailConfig, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = config.sender, ", ".join(config.to), subject
    msg["Date"], msg["Message-ID"] = formatdate(usegmt=True), make_msgid(domain="npswatch")
    msg.set_content(body + "\n\n-- \nnpswatch early-warning signals: a signal points at something to check; "
                           "it is not a confirmation.\n")  # fmt: skip
    return msg


def text_of(s: Signal) -> str:
    lines = [
        f"{s.type.upper()} [{s.severity}] {s.subject}" + (f" ({s.scope})" if s.scope else ""),
        s.summary,
        f"id {s.id}, first seen {s.first_seen}, last seen {s.last_seen}, state {s.state}",
        f"where: {', '.join(s.markets or s.sources) or '-'}; countries: {', '.join(s.countries) or '-'}",
    ]
    lines += [f"  - {e.kind} {e.url} (seen {e.seen_at}, WARC {e.warc_record_id or '-'})" for e in s.evidence[:10]]
    if len(s.evidence) > 10:
        lines.append(f"  ... and {len(s.evidence) - 10} more")
    return "\n".join(lines)


def send(config: EmailConfig, signals: list[Signal]) -> int:
    """Send the messages for ``signals``; returns how many were sent.  Raises ``smtplib.SMTPException``/``OSError``."""
    found = messages(config, signals)
    if not found:
        return 0
    context = ssl.create_default_context(cafile=str(config.ca_file) if config.ca_file else None)
    with smtplib.SMTP(config.host, config.port, timeout=config.timeout) as client:
        client.ehlo()
        if config.starttls:
            if not client.has_extn("starttls"):
                raise smtplib.SMTPNotSupportedError(f"{config.host}:{config.port} does not offer STARTTLS")
            client.starttls(context=context)
            client.ehlo()
        username = settings.secret(SMTP_USERNAME_ENV)
        if username:
            client.login(username, settings.secret(SMTP_PASSWORD_ENV) or "")
        for msg in found:
            client.send_message(msg)
    return len(found)
