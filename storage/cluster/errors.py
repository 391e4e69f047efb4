"""The errors of the cluster backend: each names the cluster or the field and what was expected."""

from __future__ import annotations

from storage.base import StorageError, StorageUnavailable


class ClusterError(StorageError):
    """The cluster refused an operation."""


class ClusterUnavailable(ClusterError, StorageUnavailable):
    """The cluster could not be reached, or kept answering 429/5xx after every retry."""


class MappingConflict(ClusterError):
    """A live index mapping disagrees with the reviewed one in ``storage/mappings``."""

    def __init__(self, index: str, field: str, expected: str, found: str) -> None:
        super().__init__(
            f"mapping conflict in index {index!r}, field {field!r}: expected {expected!r} "
            f"(storage/mappings), found {found!r}; run `npswatch index migrate` to reindex into a new version"
        )
        self.index, self.field, self.expected, self.found = index, field, expected, found
