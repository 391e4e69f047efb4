"""Where the cluster is and how to talk to it: parsed from a storage target URL plus the environment.

Targets: ``elasticsearch+https://host:9200`` (Elasticsearch 8/9, the ``elasticsearch`` client) and
``opensearch+http://host:9200`` (OpenSearch 2/3, ``opensearch-py``); ``es+`` and ``os+`` are short forms.
Query parameters: ``prefix`` (index name prefix, default ``npswatch``) and ``ca`` (a CA file).
Credentials come from the environment only, never from the URL:

- ``NPSWATCH_ES_USERNAME`` / ``NPSWATCH_ES_PASSWORD``: basic authentication;
- ``NPSWATCH_ES_API_KEY``: an API key (wins over basic authentication);
- ``NPSWATCH_ES_CA_FILE``: the CA certificate file for HTTPS (the ``ca`` parameter wins).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

from npswatch import settings
from storage.base import StorageError

FLAVORS = {"elasticsearch": "elasticsearch", "es": "elasticsearch", "opensearch": "opensearch", "os": "opensearch"}
CLUSTER_SCHEMES = tuple(f"{name}+{transport}" for name in FLAVORS for transport in ("http", "https"))
DEFAULT_PREFIX = "npswatch"  # index names: <prefix>-documents-v1 behind the alias <prefix>-documents
DEFAULT_TIMEOUT_S = 60.0  # per request (a bulk of 4,000 actions on a busy node can take tens of seconds)
USERNAME_ENV = "NPSWATCH_ES_USERNAME"
PASSWORD_ENV = "NPSWATCH_ES_PASSWORD"  # secret: environment only
API_KEY_ENV = "NPSWATCH_ES_API_KEY"  # secret: environment only
CA_FILE_ENV = "NPSWATCH_ES_CA_FILE"
_PREFIX = re.compile(r"^[a-z0-9][a-z0-9_-]{0,100}$")


@dataclass(frozen=True)
class ClusterConfig:
    flavor: str  # "elasticsearch" or "opensearch"
    url: str  # http(s)://host:port, without credentials
    prefix: str = DEFAULT_PREFIX
    username: str | None = None
    password: str | None = None
    api_key: str | None = None
    ca_file: str | None = None
    timeout: float = DEFAULT_TIMEOUT_S

    @property
    def target(self) -> str:
        """The target as the user would write it (no secrets)."""
        return f"{self.flavor}+{self.url}"


def is_cluster_target(target: str) -> bool:
    return target.split("://", 1)[0].lower() in CLUSTER_SCHEMES


def parse_target(target: str, environ: Mapping[str, str] | None = None) -> ClusterConfig:
    """The configuration a cluster target names; StorageError says what was expected."""

    def env(name: str) -> str | None:  # ``environ`` instead of the environment (tests)
        return (environ.get(name) if environ is not None else settings.raw(name)) or None

    parts = urlsplit(target)
    flavor_name, _, transport = parts.scheme.lower().partition("+")
    if flavor_name not in FLAVORS or transport not in ("http", "https"):
        raise StorageError(f"{target!r}: expected a cluster URL such as elasticsearch+https://host:9200")
    if parts.username or parts.password:
        raise StorageError(f"{_redacted(target)}: credentials go in {USERNAME_ENV}/{PASSWORD_ENV}, not in the URL")
    if not parts.hostname:
        raise StorageError(f"{target!r}: expected a host name after {parts.scheme}://")
    params = {name: values[-1] for name, values in parse_qs(parts.query).items()}
    unknown = sorted(set(params) - {"prefix", "ca"})
    if unknown:
        raise StorageError(f"{target!r}: unknown parameter {unknown[0]!r}; expected prefix or ca")
    prefix = params.get("prefix", DEFAULT_PREFIX)
    if not _PREFIX.match(prefix):
        raise StorageError(f"{target!r}: index prefix {prefix!r} must be lower-case letters, digits, '-' or '_'")
    ca_file = params.get("ca") or env(CA_FILE_ENV)
    if ca_file and not Path(ca_file).is_file():
        raise StorageError(f"CA file {ca_file!r} for {target!r} does not exist; expected a PEM certificate file")
    return ClusterConfig(
        flavor=FLAVORS[flavor_name],
        url=urlunsplit((transport, parts.netloc, parts.path.rstrip("/"), "", "")),
        prefix=prefix,
        username=env(USERNAME_ENV),
        password=env(PASSWORD_ENV),
        api_key=env(API_KEY_ENV),
        ca_file=ca_file,
    )


def _redacted(target: str) -> str:
    parts = urlsplit(target)
    host = parts.hostname or ""
    netloc = f"***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
