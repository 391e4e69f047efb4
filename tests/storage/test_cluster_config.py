"""Cluster targets: flavour from the URL scheme, credentials and CA file from the environment only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storage import open_storage
from storage.base import StorageError, StorageUnavailable
from storage.cluster import ClusterUnavailable, is_cluster_target, parse_target


@pytest.mark.parametrize(
    ("target", "flavor", "url", "prefix"),
    [
        ("elasticsearch+https://es.example:9200", "elasticsearch", "https://es.example:9200", "npswatch"),
        ("es+http://localhost:9200/", "elasticsearch", "http://localhost:9200", "npswatch"),
        ("opensearch+http://127.0.0.1:9200?prefix=team-nl", "opensearch", "http://127.0.0.1:9200", "team-nl"),
        ("os+https://search.internal/proxy", "opensearch", "https://search.internal/proxy", "npswatch"),
    ],
)
def test_the_scheme_chooses_the_client(target: str, flavor: str, url: str, prefix: str) -> None:
    config = parse_target(target, environ={})
    assert (config.flavor, config.url, config.prefix) == (flavor, url, prefix)
    assert is_cluster_target(target)


def test_credentials_and_ca_file_come_from_the_environment(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    env = {"NPSWATCH_ES_USERNAME": "analyst", "NPSWATCH_ES_PASSWORD": "s3cret", "NPSWATCH_ES_CA_FILE": str(ca)}
    config = parse_target("elasticsearch+https://es:9200", environ=env)
    assert (config.username, config.password, config.ca_file, config.api_key) == ("analyst", "s3cret", str(ca), None)
    assert "s3cret" not in repr(config.target)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("elasticsearch+https://user:pw@es:9200", "credentials go in NPSWATCH_ES_USERNAME"),
        ("elasticsearch+ftp://es:9200", "expected a cluster URL"),
        ("opensearch+http://", "expected a host name"),
        ("opensearch+http://os:9200?prefix=Bad.Name", "must be lower-case"),
        ("opensearch+http://os:9200?index=x", "unknown parameter 'index'"),
        ("opensearch+https://os:9200?ca=/no/such/ca.pem", "does not exist"),
    ],
)
def test_a_bad_target_says_what_was_expected(target: str, message: str) -> None:
    with pytest.raises(StorageError, match=message) as error:
        parse_target(target, environ={})
    assert "pw" not in str(error.value)


def test_plain_paths_are_not_cluster_targets() -> None:
    assert not is_cluster_target("var/npswatch.sqlite3")
    assert not is_cluster_target("sqlite:///var/x.sqlite3")


def test_an_unreachable_cluster_is_a_clear_error_naming_the_url(unused_port: int) -> None:
    target = f"opensearch+http://127.0.0.1:{unused_port}"
    with pytest.raises(ClusterUnavailable, match=re.escape(f"cannot reach the search cluster at {target}:")) as error:
        open_storage(target)
    assert isinstance(error.value, StorageUnavailable)
    assert "is it running" in str(error.value)


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
