"""Delivery configuration: a YAML file (``$NPSWATCH_ALERTS_CONFIG``, else ``alerts.yml``), validated by pydantic.

Secrets never appear in the file (an unknown key such as ``password`` is an error): they come from the environment
only, under fixed names: ``NPSWATCH_WEBHOOK_SECRET`` (signing key of the webhook), ``NPSWATCH_SMTP_USERNAME`` and
``NPSWATCH_SMTP_PASSWORD``, ``NPSWATCH_MISP_KEY`` (MISP API key).  Errors name the file and the field:
``alerts.yml: webhook.retries: ...``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from npswatch import settings

CONFIG_ENV = "NPSWATCH_ALERTS_CONFIG"  # path of the delivery configuration file
DEFAULT_CONFIG = Path("alerts.yml")
WEBHOOK_SECRET_ENV = "NPSWATCH_WEBHOOK_SECRET"  # Standard Webhooks secret (whsec_...) of the webhook; required with one
MISP_KEY_ENV = "NPSWATCH_MISP_KEY"  # MISP API key of `npswatch signals export --push`; required to push
SMTP_USERNAME_ENV = "NPSWATCH_SMTP_USERNAME"  # SMTP login (optional: no login when unset)
SMTP_PASSWORD_ENV = "NPSWATCH_SMTP_PASSWORD"  # SMTP password


class ConfigError(Exception):
    """The delivery configuration cannot be used; the message names the file and the field."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WebhookConfig(_Model):
    url: str = Field(pattern=r"^https?://")  # where signals are POSTed, one JSON document per request
    timeout: float = Field(10.0, gt=0)  # seconds per attempt
    retries: int = Field(4, ge=0, le=20)  # attempts after the first
    backoff: float = Field(1.0, ge=0)  # seconds before the first retry, doubled each time
    dead_letter: Path = Path("var/alerts/dead-letter.jsonl")  # JSON lines of what could not be delivered
    signature_header: str = "X-Npswatch-Signature"  # deprecated: carries "sha256=<hex HMAC of the body>"
    legacy_signature: bool = True  # also send the deprecated header (for one release), beside Standard Webhooks


class EmailConfig(_Model):
    host: str
    port: int = Field(587, ge=1, le=65535)
    starttls: bool = True  # upgrade with STARTTLS before anything is sent (refuse the server if it cannot)
    ca_file: Path | None = None  # CA bundle to verify the server with (default: the system's)
    sender: str = Field(alias="from")
    to: list[str] = Field(min_length=1)
    digest: bool = True  # one message listing every signal of a run, instead of one message per signal
    subject_prefix: str = "[npswatch]"
    timeout: float = Field(30.0, gt=0)


class AtomConfig(_Model):
    path: Path = Path("var/alerts/signals.atom")  # the feed file, rewritten on every delivery
    max_entries: int = Field(200, ge=1)
    feed_id: str = "urn:npswatch:signals"
    title: str = "npswatch early-warning signals"


class EwsConfig(_Model):
    directory: Path = Path("var/alerts/ews")  # one JSON document per signal: <id>.json


class DeliveryConfig(_Model):
    min_severity: Literal["low", "medium", "high"] = "low"  # signals below this are not delivered
    types: list[str] = []  # only these signal types (empty: all)
    webhook: WebhookConfig | None = None
    email: EmailConfig | None = None
    atom: AtomConfig | None = None
    ews_export: EwsConfig | None = None


def misp_key() -> str:
    """The MISP API key from ``$NPSWATCH_MISP_KEY`` ("" when unset): never a default, never in the file."""
    return settings.secret(MISP_KEY_ENV) or ""


def config_path() -> Path:
    return settings.alerts_config() or DEFAULT_CONFIG


def load_config(path: Path | str | None = None) -> DeliveryConfig:
    """Read and validate the configuration file (default: ``$NPSWATCH_ALERTS_CONFIG`` or ``alerts.yml``)."""
    chosen = Path(path) if path is not None else config_path()
    try:
        raw = YAML(typ="safe").load(chosen.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{chosen}: cannot read the delivery configuration ({exc.strerror or exc})") from exc
    except YAMLError as exc:
        raise ConfigError(f"{chosen}: not valid YAML ({str(exc).splitlines()[0]})") from exc
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{chosen}: expected a mapping of channels, found {type(raw).__name__}")
    try:
        return DeliveryConfig.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{chosen}: {'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}"
                    for err in exc.errors()]  # fmt: skip
        raise ConfigError("; ".join(problems)) from exc


def default_config(db_target: str | Path) -> DeliveryConfig:
    """The channels without a configuration file: an Atom feed beside the signal store of ``db_target``
    (``var/npswatch.signals.atom`` for ``var/npswatch.sqlite3``), which any feed reader can follow."""
    from signals.store import signals_path

    return DeliveryConfig(atom=AtomConfig.model_validate({"path": signals_path(db_target).with_suffix(".atom")}))


def delivery_config(db_target: str | Path) -> tuple[DeliveryConfig, str]:
    """The configuration in use and where it comes from: the file of ``$NPSWATCH_ALERTS_CONFIG``, else
    ``alerts.yml`` when it exists, else :func:`default_config`.  Raises ConfigError for a file that cannot be used."""
    path = config_path()
    if settings.alerts_config() is not None or path.exists():
        return load_config(path), str(path)
    config = default_config(db_target)
    assert config.atom is not None
    return config, f"no {CONFIG_ENV}: Atom feed {config.atom.path}"
