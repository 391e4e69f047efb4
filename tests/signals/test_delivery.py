"""Delivery against real local servers: an HTTP receiver (stdlib http.server) and an SMTP server (aiosmtpd) with
STARTTLS on a self-signed certificate made here; the Atom feed and the EWS export as files."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import socket
import ssl
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from signals.delivery import ConfigError, deliver, load_config
from signals.delivery.atom import read_ids
from signals.delivery.config import AtomConfig, DeliveryConfig, EmailConfig, EwsConfig, WebhookConfig
from signals.model import Evidence, Signal
from tests.httpsite import LocalServer

SECRET = "test-secret-not-real"


def signal(subject: str = "3-CPMC", type_: str = "first_seen", severity: str = "high") -> Signal:
    return Signal(
        type=type_,  # type: ignore[arg-type]
        subject=subject,
        first_seen="2026-10-13",
        last_seen="2026-10-14",
        severity=severity,  # type: ignore[arg-type]
        summary=f"{subject} <first> seen & listed",
        known=False,
        family="synthetic cathinone",
        markets=["Nova Market"],
        counts={"listings": 2, "posts": 0},
        evidence=[Evidence("abc", "listing", "http://127.0.0.1/listing/1", "2026-10-13T12:00:00Z", "<urn:uuid:1>")],
    )


# -- webhook -----------------------------------------------------------------------------------------


class Receiver(LocalServer):
    """A local HTTP receiver answering with the scripted statuses in turn (then 200), recording every request."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.requests: list[tuple[dict[str, str], bytes, int]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = receiver.respond(dict(self.headers), body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        super().__init__(Handler, "/hook")

    def respond(self, headers: dict[str, str], body: bytes) -> int:
        """The status to answer with (subclasses check what they receive)."""
        status = self.statuses.pop(0) if self.statuses else 200
        self.requests.append((headers, body, status))
        return status



@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("NPSWATCH_WEBHOOK_SECRET", SECRET)
    return SECRET


def test_webhook_posts_signed_json(tmp_path: Path, secret: str) -> None:
    with Receiver([]) as receiver:
        config = DeliveryConfig(webhook=WebhookConfig(url=receiver.url, dead_letter=tmp_path / "dead.jsonl"))
        report = deliver([signal(), signal("ketamine", "price_shift")], config)
    assert report.ok and report.sent["webhook"] == 2
    headers, body, _ = receiver.requests[0]
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Npswatch-Signature"] == expected
    payload = json.loads(body)
    assert payload["event"] == "signal" and payload["signal"]["substance"] == "3-CPMC"
    assert payload["signal"]["evidence"][0]["warc_record_id"] == "<urn:uuid:1>"
    assert not (tmp_path / "dead.jsonl").exists()


def test_webhook_retries_with_backoff_then_delivers(tmp_path: Path, secret: str) -> None:
    with Receiver([503, 500]) as receiver:
        config = DeliveryConfig(webhook=WebhookConfig(url=receiver.url, backoff=0.01, dead_letter=tmp_path / "d"))
        report = deliver([signal()], config)
    assert report.ok and [status for _, _, status in receiver.requests] == [503, 500, 200]
    assert len({body for _, body, _ in receiver.requests}) == 1  # the same body every time


def test_webhook_down_is_dead_lettered_never_lost(tmp_path: Path, secret: str) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead = tmp_path / "dead.jsonl"
    config = DeliveryConfig(webhook=WebhookConfig(url=f"http://127.0.0.1:{port}/", retries=2, backoff=0.01,
                                                  dead_letter=dead))  # fmt: skip
    report = deliver([signal()], config)
    assert not report.ok and report.failed["webhook"] == 1
    (line,) = dead.read_text().splitlines()
    record = json.loads(line)
    assert record["attempts"] == 3 and record["signal_id"] == signal().id
    assert json.loads(record["body"])["signal"]["subject"] == "3-CPMC"


def test_webhook_client_error_is_not_retried(tmp_path: Path, secret: str) -> None:
    with Receiver([400]) as receiver:
        config = DeliveryConfig(webhook=WebhookConfig(url=receiver.url, backoff=0.01, dead_letter=tmp_path / "d"))
        report = deliver([signal()], config)
    assert not report.ok and len(receiver.requests) == 1 and (tmp_path / "d").exists()


def test_webhook_without_secret_dead_letters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NPSWATCH_WEBHOOK_SECRET", raising=False)
    config = DeliveryConfig(webhook=WebhookConfig(url="http://127.0.0.1:9/", dead_letter=tmp_path / "d"))
    report = deliver([signal()], config)
    assert not report.ok and "NPSWATCH_WEBHOOK_SECRET" in report.errors[-1]


# -- e-mail --------------------------------------------------------------------------------------------


def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                    x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))  # fmt: skip
    return cert_path, key_path


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes, bool]] = []
        self.logins: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        tls = session.ssl is not None
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content, tls))
        return "250 OK"


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[tuple[Mailbox, int, Path]]:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    cert, key = self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    box = Mailbox()

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        box.logins.append(auth_data.login)
        return AuthResult(success=auth_data.login == b"ews" and auth_data.password == b"pw-from-env")

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            authenticator=authenticator, auth_require_tls=True)  # fmt: skip
    controller.start()
    try:
        yield box, port, cert
    finally:
        controller.stop()


def email_config(port: int, cert: Path, digest: bool) -> DeliveryConfig:
    return DeliveryConfig.model_validate({"email": {"host": "127.0.0.1", "port": port, "ca_file": str(cert),
                                                    "from": "npswatch@example.org", "to": ["ews@example.org"],
                                                    "digest": digest}})  # fmt: skip


def test_email_digest_over_starttls_with_login_from_env(smtp_server: tuple[Mailbox, int, Path],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    box, port, cert = smtp_server
    monkeypatch.setenv("NPSWATCH_SMTP_USERNAME", "ews")
    monkeypatch.setenv("NPSWATCH_SMTP_PASSWORD", "pw-from-env")
    report = deliver([signal(), signal("3-CMC", "spike")], email_config(port, cert, digest=True))
    assert report.ok, report.errors
    ((sender, to, content, tls),) = box.messages
    assert tls and sender == "npswatch@example.org" and to == ["ews@example.org"] and box.logins == [b"ews"]
    text = content.decode()
    assert "3-CPMC" in text and "3-CMC" in text and "http://127.0.0.1/listing/1" in text


def test_email_one_message_per_signal_without_digest(smtp_server: tuple[Mailbox, int, Path],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    box, port, cert = smtp_server
    monkeypatch.delenv("NPSWATCH_SMTP_USERNAME", raising=False)
    report = deliver([signal(), signal("3-CMC", "spike")], email_config(port, cert, digest=False))
    assert report.ok and len(box.messages) == 2


def test_email_refuses_an_unverified_server(smtp_server: tuple[Mailbox, int, Path], tmp_path: Path) -> None:
    _, port, _ = smtp_server
    other, _ = self_signed(tmp_path / "other") if (tmp_path / "other").mkdir() is None else (Path(), Path())
    report = deliver([signal()], email_config(port, other, digest=True))
    assert not report.ok and "SSL" in report.errors[0].upper()


# -- Atom, EWS export, selection, configuration ---------------------------------------------------------


def test_atom_feed_merges_entries_by_signal_id(tmp_path: Path) -> None:
    config = DeliveryConfig(atom=AtomConfig(path=tmp_path / "feed.atom"))
    deliver([signal()], config)
    deliver([signal(), signal("ketamine", "price_shift")], config)
    ids = read_ids(tmp_path / "feed.atom")
    assert sorted(ids) == sorted({f"urn:npswatch:signal:{signal().id}",
                                  f"urn:npswatch:signal:{signal('ketamine', 'price_shift').id}"})  # fmt: skip
    root = ET.parse(tmp_path / "feed.atom").getroot()
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    summaries = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}summary")]
    assert "3-CPMC <first> seen & listed" in summaries  # text, escaped by the XML writer


def test_ews_export_writes_one_document_per_signal(tmp_path: Path) -> None:
    config = DeliveryConfig(ews_export=EwsConfig(directory=tmp_path / "ews"))
    report = deliver([signal(), signal("ketamine", "price_shift")], config)
    assert report.sent["ews_export"] == 2
    doc = json.loads((tmp_path / "ews" / f"{signal().id}.json").read_text())
    assert doc["names"]["candidate"] == "3-CPMC" and doc["groups"]["chemical_group"] == "synthetic cathinone"
    assert doc["first_seen"] == "2026-10-13" and doc["where"]["markets"] == ["Nova Market"]
    assert doc["how_many"]["listings"] == 2 and doc["evidence"][0]["doc_id"] == "abc"


def test_min_severity_and_types_select_what_is_delivered(tmp_path: Path) -> None:
    config = DeliveryConfig(min_severity="medium", types=["spike"], ews_export=EwsConfig(directory=tmp_path))
    report = deliver([signal(severity="high"), signal("x", "spike", "low"), signal("y", "spike", "high")], config)
    assert report.sent["ews_export"] == 1


def test_health_signals_are_delivered_too(tmp_path: Path) -> None:
    health = Signal(type="source_down", subject="nova_market", first_seen="2026-10-13", last_seen="2026-10-13",
                    severity="medium", summary="nova_market answers 503")  # fmt: skip
    deliver([health], DeliveryConfig(ews_export=EwsConfig(directory=tmp_path)))
    assert json.loads((tmp_path / f"{health.id}.json").read_text())["names"]["substance"] is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("webhook:\n  url: ftp://x\n", "alerts.yml: webhook.url:"),
        ("webhook:\n  url: http://x\n  retries: -1\n", "webhook.retries:"),
        ("email:\n  host: h\n  from: a@b\n  to: [c@d]\n  password: hunter2\n", "email.password: Extra inputs"),
        ("email:\n  host: h\n  to: [c@d]\n", "email.from: Field required"),
        ("min_severity: urgent\n", "min_severity:"),
        ("- a\n- b\n", "expected a mapping"),
        ("webhook: [\n", "not valid YAML"),
    ],
)
def test_bad_config_names_file_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "alerts.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"alerts\.yml") as info:
        load_config(path)
    assert message in str(info.value)


def test_config_from_the_environment_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.yml"
    path.write_text("min_severity: high\natom:\n  path: feed.atom\nemail:\n  host: h\n  from: a@b\n  to: [c@d]\n")
    monkeypatch.setenv("NPSWATCH_ALERTS_CONFIG", str(path))
    config = load_config()
    assert config.min_severity == "high" and config.email is not None and config.email.port == 587
    assert isinstance(config.email, EmailConfig) and config.atom == AtomConfig(path=Path("feed.atom"))
    monkeypatch.setenv("NPSWATCH_ALERTS_CONFIG", str(tmp_path / "missing.yml"))
    with pytest.raises(ConfigError, match=r"missing\.yml: cannot read"):
        load_config()
