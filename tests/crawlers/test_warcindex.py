"""The WARC index: records found by id and URL, incremental refresh, a record still being written is skipped."""

from __future__ import annotations

import gzip
import io
import stat
from contextlib import closing
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request
from warcio.archiveiterator import ArchiveIterator

from crawlers.warc import RotatingWarcWriter
from crawlers.warcindex import WarcIndex, WarcIndexError


def exchange(n: int) -> tuple[Request, HtmlResponse]:
    url = f"http://m.example/listing/{n}"
    body = f"<html><body><h1>listing {n}</h1>{'<p>3-MMC 10g</p>' * n}</body></html>".encode()
    request = Request(url)
    return request, HtmlResponse(url, body=body, headers={"Content-Type": "text/html; charset=utf-8"}, request=request)


def write(directory: Path, prefix: str, numbers: range, max_bytes: int = 100 << 20) -> list[str]:
    writer = RotatingWarcWriter(directory / prefix, prefix, max_bytes)
    ids = [writer.write(*exchange(n)) for n in numbers]
    writer.close()
    return ids


def test_every_response_is_found_by_id_and_url_and_read_back(tmp_path: Path) -> None:
    ids = write(tmp_path, "nova", range(5)) + write(tmp_path, "tulip", range(5, 8), max_bytes=500)
    with closing(WarcIndex(tmp_path)) as index:
        for n, record_id in enumerate(ids):
            location = index.find(record_id)
            assert location is not None and location.type == "response" and location.status == 200
            assert location.uri == f"http://m.example/listing/{n}"
            assert location.content_type == "text/html; charset=utf-8"
            record = index.read(location)
            assert record.http_status == "200 OK" and f"<h1>listing {n}</h1>".encode() in record.payload
            assert ("WARC-Record-ID", record_id) in record.warc_headers
            one = list(ArchiveIterator(io.BytesIO(index.raw(location))))  # a .warc.gz of one record
            assert [r.rec_headers.get_header("WARC-Record-ID") for r in one] == [record_id]
        assert index.latest_response("http://m.example/listing/6") == index.find(ids[6])
    assert len(list((tmp_path / "tulip").glob("*.warc.gz"))) > 1  # rotated: records in several files
    assert stat.S_IMODE((tmp_path / "index.sqlite3").stat().st_mode) == 0o600


def test_refresh_reads_only_what_was_appended(tmp_path: Path) -> None:
    write(tmp_path, "nova", range(3))
    with closing(WarcIndex(tmp_path)) as index:
        assert index.refresh() == 1 + 2 * 3  # warcinfo, then response and request per exchange
        assert index.refresh() == 0
        later = write(tmp_path, "nova", range(3, 5))
        assert index.find(later[-1]) is not None  # an id it lacked: refreshed once, then found
        assert index.refresh() == 0
        assert index.find("<urn:uuid:00000000-0000-0000-0000-000000000000>") is None


def test_a_record_still_being_written_is_indexed_once_complete(tmp_path: Path) -> None:
    [record_id] = write(tmp_path, "nova", range(1))
    [path] = (tmp_path / "nova").glob("*.warc.gz")
    whole = path.read_bytes()
    path.write_bytes(whole[:-25])  # the last member (the request record) cut short
    with closing(WarcIndex(tmp_path)) as index:
        assert index.refresh() == 2  # warcinfo and the response
        assert index.find(record_id) is not None
        path.write_bytes(whole)
        assert index.refresh() == 1


def test_a_file_that_is_not_a_warc_is_named(tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "x.warc.gz").write_bytes(gzip.compress(b"not a warc record\r\n\r\n"))
    with closing(WarcIndex(tmp_path)) as index, pytest.raises(WarcIndexError, match=r"x\.warc\.gz"):
        index.refresh()
