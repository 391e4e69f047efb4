"""The search-cluster backend: Elasticsearch 8/9 or OpenSearch 2/3 behind ``storage.base.Storage``.

``open_cluster("opensearch+http://localhost:9200")`` (or ``open_storage`` with such a target) connects,
puts the reviewed index templates (``storage/mappings``) and creates the versioned indices behind their
aliases when missing.  See docs/search-cluster.md.
"""

from __future__ import annotations

from storage.cluster.backend import ClusterStorage
from storage.cluster.config import ClusterConfig, is_cluster_target, parse_target
from storage.cluster.errors import ClusterError, ClusterUnavailable, MappingConflict

__all__ = [
    "ClusterConfig",
    "ClusterError",
    "ClusterStorage",
    "ClusterUnavailable",
    "MappingConflict",
    "is_cluster_target",
    "open_cluster",
    "parse_target",
]


def open_cluster(target: str, *, create: bool = True) -> ClusterStorage:
    """Open the cluster that ``target`` names (credentials from the environment); with ``create`` false, indices
    that are missing are not created (``storage.base.StoreMissing``)."""
    return ClusterStorage(parse_target(target), create=create)
