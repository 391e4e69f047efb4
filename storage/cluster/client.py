"""A thin adapter over the two official clients: ``elasticsearch`` (Elasticsearch 8/9) and ``opensearch-py``
(OpenSearch 2/3).

The backend (``storage.cluster.backend``) speaks only to ``ClusterClient``: a handful of REST calls with
JSON bodies, and two error types (``ApiFailure`` for an HTTP error, ``Unreachable`` for no answer).  Each
client is imported only when its flavour is used.  Retries are the backend's job (it sees per-item bulk
statuses), so both clients are built with ``max_retries=0``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
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
    """The calls, written once against the API both clients share (``body=`` keyword calls)."""

    flavor: str
    raw: Any  # elasticsearch.Elasticsearch or opensearchpy.OpenSearch
    translate: Callable[[Exception], Exception | None]

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
        self.raw.close()


PACKAGES = {"elasticsearch": "elasticsearch (8.x for Elasticsearch 8, 9.x for 9)", "opensearch": "opensearch-py"}


def connect(config: ClusterConfig) -> ClusterClient:
    """The client for ``config.flavor``; nothing is sent yet."""
    try:
        if config.flavor == "elasticsearch":
            return _elasticsearch(config)
        return _opensearch(config)
    except ImportError as exc:
        raise StorageError(
            f"{config.target}: the {config.flavor} client is not installed ({exc}); expected the package "
            f"{PACKAGES[config.flavor]}"
        ) from exc


def _elasticsearch(config: ClusterConfig) -> ClusterClient:
    import elastic_transport
    import elasticsearch

    auth: dict[str, Any] = {}
    if config.api_key:
        auth["api_key"] = config.api_key
    elif config.username:
        auth["basic_auth"] = (config.username, config.password or "")
    if config.ca_file:
        auth["ca_certs"] = config.ca_file
    raw = elasticsearch.Elasticsearch(
        config.url, request_timeout=config.timeout, max_retries=0, retry_on_timeout=False, **auth
    )

    def translate(exc: Exception) -> Exception | None:
        if isinstance(exc, elasticsearch.ApiError):
            kind, reason = _error_parts(exc.body, exc.message)
            return ApiFailure(int(exc.status_code), kind, reason)
        if isinstance(exc, elastic_transport.TransportError | elasticsearch.UnsupportedProductError):
            return Unreachable(str(exc))
        return None

    return _Adapter("elasticsearch", raw, translate)


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

    return _Adapter("opensearch", raw, translate)


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
