"""A thin adapter over the official clients: Elasticsearch's (Elasticsearch 8/9) and ``opensearch-py``
(OpenSearch 2/3).

The backend (``storage.cluster.backend``) speaks only to ``ClusterClient``: a handful of REST calls with
JSON bodies, and two error types (``ApiFailure`` for an HTTP error, ``Unreachable`` for no answer).  Each
client is imported only when its flavour is used, and built on the first call.  Retries are the backend's
job (it sees per-item bulk statuses), so every client is built with ``max_retries=0``.

Elasticsearch's client major must match the server's (a 9.x client sends ``compatible-with=9``, which an
Elasticsearch 8 server refuses), so both majors are installed under Elastic's major-named packages
(``elasticsearch8``, ``elasticsearch9``) and the server picks: the first call asks ``GET /`` with the 8.x
client (Elasticsearch 8 and 9 both answer ``compatible-with=8``), then keeps it for an 8.x server or
switches to the 9.x client for a 9.x server.  The adapter's calls are the same for both.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Protocol

from storage.base import StorageError
from storage.cluster.config import ClusterConfig

JSON = dict[str, Any]


class ApiFailure(Exception):
    """The cluster answered with an HTTP error."""

    def __init__(self, status: int, kind: str, reason: str) -> None:
        super().__init__(f"{status} {kind}: {reason}")
        self.status, self.kind, self.reason = status, kind, reason


class Unreachable(Exception):
    """No answer from the cluster (connection refused, DNS, TLS, timeout)."""


class ClusterClient(Protocol):
    flavor: str

    def info(self) -> JSON: ...

    def bulk(self, operations: Sequence[Mapping[str, Any]]) -> JSON: ...

    def mget(self, index: str, ids: Sequence[str], source: Sequence[str] | None = None) -> JSON: ...

    def search(self, index: str, body: Mapping[str, Any]) -> JSON: ...

    def count(self, index: str, body: Mapping[str, Any]) -> JSON: ...

    def refresh(self, index: str) -> None: ...

    def put_index_template(self, name: str, body: Mapping[str, Any]) -> None: ...

    def create_index(self, index: str, body: Mapping[str, Any]) -> None: ...

    def delete_index(self, index: str) -> None: ...

    def get_alias(self, name: str) -> JSON: ...

    def update_aliases(self, actions: Sequence[Mapping[str, Any]]) -> None: ...

    def get_mapping(self, index: str) -> JSON: ...

    def put_mapping(self, index: str, body: Mapping[str, Any]) -> None: ...

    def reindex(self, source: str, dest: str) -> JSON: ...

    def index_stats(self, index: str) -> JSON: ...

    def close(self) -> None: ...


@dataclass
class _Adapter:
    """The calls, written once against the API the clients share (``body=`` keyword calls)."""

    flavor: str
    opener: Callable[[], Any]  # builds the official client (it may ask the server which one), on first use
    translate: Callable[[Exception], Exception | None]
    package: str = ""  # the client package in use, once opened ("elasticsearch9", "opensearch-py")
    _raw: Any = field(default=None, repr=False)

    @property
    def raw(self) -> Any:  # elasticsearch8/9.Elasticsearch or opensearchpy.OpenSearch
        if self._raw is None:
            with self._errors():
                self._raw = self.opener()
            self.package = _package(self._raw)
        return self._raw

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except Exception as exc:
            mapped = self.translate(exc)
            if mapped is None:
                raise
            raise mapped from exc

    def _call(self, func: Callable[..., Any], **kwargs: Any) -> JSON:
        with self._errors():
            answer = func(**kwargs)
        body = getattr(answer, "body", answer)  # elasticsearch wraps answers in ObjectApiResponse
        return dict(body) if isinstance(body, Mapping) else {"value": body}

    def info(self) -> JSON:
        return self._call(self.raw.info)

    def bulk(self, operations: Sequence[Mapping[str, Any]]) -> JSON:
        return self._call(self.raw.bulk, body=list(operations))

    def mget(self, index: str, ids: Sequence[str], source: Sequence[str] | None = None) -> JSON:
        docs = [{"_id": doc_id, **({"_source": list(source)} if source is not None else {})} for doc_id in ids]
        return self._call(self.raw.mget, index=index, body={"docs": docs})

    def search(self, index: str, body: Mapping[str, Any]) -> JSON:
        return self._call(self.raw.search, index=index, body=dict(body))

    def count(self, index: str, body: Mapping[str, Any]) -> JSON:
        return self._call(self.raw.count, index=index, body=dict(body))

    def refresh(self, index: str) -> None:
        self._call(self.raw.indices.refresh, index=index)

    def put_index_template(self, name: str, body: Mapping[str, Any]) -> None:
        self._call(self.raw.indices.put_index_template, name=name, body=dict(body))

    def create_index(self, index: str, body: Mapping[str, Any]) -> None:
        self._call(self.raw.indices.create, index=index, body=dict(body))

    def delete_index(self, index: str) -> None:
        self._call(self.raw.indices.delete, index=index)

    def get_alias(self, name: str) -> JSON:
        try:
            return self._call(self.raw.indices.get_alias, name=name)
        except ApiFailure as exc:
            if exc.status == 404:
                return {}
            raise

    def update_aliases(self, actions: Sequence[Mapping[str, Any]]) -> None:
        self._call(self.raw.indices.update_aliases, body={"actions": list(actions)})

    def get_mapping(self, index: str) -> JSON:
        return self._call(self.raw.indices.get_mapping, index=index)

    def put_mapping(self, index: str, body: Mapping[str, Any]) -> None:
        self._call(self.raw.indices.put_mapping, index=index, body=dict(body))

    def reindex(self, source: str, dest: str) -> JSON:
        body = {"source": {"index": source}, "dest": {"index": dest}}
        return self._call(self.raw.reindex, body=body, refresh=True, wait_for_completion=True)

    def index_stats(self, index: str) -> JSON:
        return self._call(self.raw.indices.stats, index=index)

    def close(self) -> None:
        if self._raw is not None:
            self._raw.close()


PACKAGES = {"elasticsearch": "elasticsearch8 and elasticsearch9", "opensearch": "opensearch-py"}
ES_CLIENTS = {8: "elasticsearch8", 9: "elasticsearch9"}  # server major -> client package (and module)
PROBE_MAJOR = 8  # asks GET / first: Elasticsearch 8 and 9 both accept its compatible-with=8 headers


def connect(config: ClusterConfig) -> ClusterClient:
    """The client for ``config.flavor``; nothing is sent yet."""
    try:
        if config.flavor == "elasticsearch":
            return _Adapter("elasticsearch", lambda: _open_elasticsearch(config), _translate_elasticsearch)
        return _opensearch(config)
    except ImportError as exc:
        raise _not_installed(config, exc) from exc


def _not_installed(config: ClusterConfig, exc: ImportError) -> StorageError:
    return StorageError(
        f"{config.target}: the {config.flavor} client is not installed ({exc}); expected the package(s) "
        f"{PACKAGES[config.flavor]}"
    )


def _open_elasticsearch(config: ClusterConfig) -> Any:
    """The client whose major matches the server's, chosen from the server's ``GET /``."""
    probe = _elasticsearch_client(config, PROBE_MAJOR)
    try:
        major = server_major(config, dict(probe.info().body))
    except Exception as exc:
        probe.close()
        refused = _translate_elasticsearch(exc)
        if isinstance(refused, ApiFailure) and refused.kind == "media_type_header_exception":  # Elasticsearch 7
            raise StorageError(
                f"{config.target}: the server refused Elasticsearch 8 requests ({refused.reason}); expected "
                "Elasticsearch 8 or 9"
            ) from exc
        raise
    if major == PROBE_MAJOR:
        return probe
    probe.close()
    return _elasticsearch_client(config, major)


def server_major(config: ClusterConfig, info: Mapping[str, Any]) -> int:
    """The major version of the Elasticsearch server that answered ``info`` (``GET /``); StorageError for an
    OpenSearch server or an Elasticsearch major without a client here."""
    found = info.get("version")
    version: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    number = str(version.get("number", "?"))
    if version.get("distribution") == "opensearch":
        raise StorageError(
            f"{config.target}: found OpenSearch {number}, not Elasticsearch; expected an Elasticsearch 8 or 9 "
            f"server (for OpenSearch, use opensearch+{config.url})"
        )
    major = int(number.split(".")[0]) if number.split(".")[0].isdigit() else None
    if major not in ES_CLIENTS:
        raise StorageError(f"{config.target}: found Elasticsearch {number}; expected Elasticsearch 8 or 9")
    return major


def _elasticsearch_client(config: ClusterConfig, major: int) -> Any:
    try:
        module = importlib.import_module(ES_CLIENTS[major])
    except ImportError as exc:
        raise _not_installed(config, exc) from exc
    auth: dict[str, Any] = {}
    if config.api_key:
        auth["api_key"] = config.api_key
    elif config.username:
        auth["basic_auth"] = (config.username, config.password or "")
    if config.ca_file:
        auth["ca_certs"] = config.ca_file
    return module.Elasticsearch(
        config.url, request_timeout=config.timeout, max_retries=0, retry_on_timeout=False, **auth
    )


def _translate_elasticsearch(exc: Exception) -> Exception | None:
    import elastic_transport  # shared by both client majors

    for module in _loaded(ES_CLIENTS.values()):
        if isinstance(exc, module.UnsupportedProductError):  # not Elasticsearch (or a proxy in between)
            return Unreachable(str(exc))
        if isinstance(exc, module.ApiError):
            kind, reason = _error_parts(exc.body, exc.message)
            return ApiFailure(int(exc.status_code), kind, reason)
    if isinstance(exc, elastic_transport.TransportError):
        return Unreachable(str(exc))
    return None


def _loaded(names: Iterable[str]) -> list[ModuleType]:
    return [sys.modules[name] for name in names if name in sys.modules]


def _package(raw: Any) -> str:
    root = type(raw).__module__.split(".")[0]
    return "opensearch-py" if root == "opensearchpy" else root


def _opensearch(config: ClusterConfig) -> ClusterClient:
    import opensearchpy

    auth: dict[str, Any] = {}
    if config.api_key:
        auth["headers"] = {"Authorization": f"ApiKey {config.api_key}"}
    elif config.username:
        auth["http_auth"] = (config.username, config.password or "")
    if config.ca_file:
        auth["ca_certs"] = config.ca_file
    if config.url.startswith("https:"):
        auth["verify_certs"] = True
    raw = opensearchpy.OpenSearch(hosts=[config.url], timeout=config.timeout, max_retries=0, **auth)

    def translate(exc: Exception) -> Exception | None:
        if isinstance(exc, opensearchpy.ConnectionError):  # a TransportError with status "N/A"
            return Unreachable(str(exc.info) if exc.info else str(exc))
        if isinstance(exc, opensearchpy.TransportError):
            status = exc.status_code if isinstance(exc.status_code, int) else 0
            kind, reason = _error_parts(exc.info, str(exc.error))
            return ApiFailure(status, kind, reason)
        return None

    return _Adapter("opensearch", lambda: raw, translate)


def _error_parts(body: Any, fallback: str) -> tuple[str, str]:
    """The error type and reason of an error answer (``{"error": {"type", "reason", "caused_by"}}``)."""
    error = body.get("error") if isinstance(body, Mapping) else None
    if not isinstance(error, Mapping):
        return "error", str(error or fallback)
    reason = str(error.get("reason") or fallback)
    cause = error.get("caused_by")
    if isinstance(cause, Mapping) and cause.get("reason"):
        reason += f" (caused by {cause.get('type')}: {cause.get('reason')})"
    return str(error.get("type") or "error"), reason
