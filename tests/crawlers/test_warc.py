"""WARC evidence files: gzip per record, readable by warcio, digests that check, rotation."""

from __future__ import annotations

import gzip
import stat
import zlib
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request
from warcio.archiveiterator import ArchiveIterator

from crawlers.warc import RotatingWarcWriter, gzip_member

PAGE = b"<html><body>" + b"<p>3-MMC 10g $40.00</p>" * 200 + b"</body></html>"


def _exchange(n: int, body: bytes = PAGE) -> tuple[Request, HtmlResponse]:
    url = f"http://m.example/listing/{n}"
    request = Request(url, headers={"X-Npswatch-As-Of": "2026-11-11"})
    response = HtmlResponse(url, body=body, headers={"Content-Type": "text/html"}, request=request)
    return request, response


def _members(path: Path) -> list[bytes]:
    """The file's gzip members, each decompressed on its own."""
    data, members = path.read_bytes(), []
    while data:
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        members.append(decompressor.decompress(data) + decompressor.flush())
        data = decompressor.unused_data
    return members


def test_each_record_is_its_own_gzip_member_and_warcio_reads_it_back(tmp_path: Path) -> None:
    writer = RotatingWarcWriter(tmp_path, "nova", 100 << 20)
    ids = [writer.write(*_exchange(n, PAGE if n else b"")) for n in range(3)]  # an empty body too
    writer.close()
    [path] = list(tmp_path.glob("nova-*.warc.gz"))
    members = _members(path)
    assert len(members) == 1 + 2 * 3  # warcinfo, then a response and its request per exchange
    assert all(m.startswith(b"WARC/") and m.count(b"\r\nWARC-Type: ") == 1 for m in members)
    with path.open("rb") as stream:  # the raw file: ArchiveIterator checks the per-record gzip itself
        records = list(_read(ArchiveIterator(stream, check_digests="raise")))
    assert [r[0] for r in records] == ["warcinfo"] + ["response", "request"] * 3
    assert [r[1] for r in records if r[0] == "response"] == ids
    assert [r[2] for r in records if r[0] == "request"] == ids  # WARC-Concurrent-To: its response
    assert [r[3] for r in records if r[0] == "response"] == [b"", PAGE, PAGE]


def _read(records: ArchiveIterator) -> list[tuple[str, str, str | None, bytes]]:
    return [
        (
            r.rec_type,
            r.rec_headers.get_header("WARC-Record-ID"),
            r.rec_headers.get_header("WARC-Concurrent-To"),
            r.content_stream().read(),
        )
        for r in records
    ]


@pytest.mark.parametrize("size", [0, 1, 300, 5_000, 40_000, 200_000])
def test_a_gzip_member_is_plain_gzip_at_any_size(size: int) -> None:
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    for level in (1, 6, 9):
        assert gzip.decompress(gzip_member(data, level)) == data
    assert len(gzip_member(PAGE, 6)) < len(PAGE) // 10


def test_a_new_file_starts_past_max_bytes_with_its_own_warcinfo(tmp_path: Path) -> None:
    writer = RotatingWarcWriter(tmp_path, "nova", max_bytes=1)
    for n in range(2):
        writer.write(*_exchange(n))
    writer.close()
    paths = sorted(tmp_path.glob("nova-*.warc.gz"))
    assert len(paths) == 2
    for path in paths:
        with path.open("rb") as stream:
            assert [r.rec_type for r in ArchiveIterator(stream)] == ["warcinfo", "response", "request"]


def test_secret_headers_are_redacted_and_the_records_say_which(tmp_path: Path) -> None:
    url = "http://m.example/listing/1"
    request = Request(url, headers={"Cookie": "sid=abc123", "Authorization": "Basic dTpw", "Accept": "text/html"})
    response = HtmlResponse(url, body=PAGE, headers={"Set-Cookie": ["a=1", "b=2"]}, request=request)
    writer = RotatingWarcWriter(tmp_path, "nova", 100 << 20)
    writer.write(request, response)
    writer.write(*_exchange(2))  # nothing secret: no redaction header
    writer.close()
    [path] = list(tmp_path.glob("nova-*.warc.gz"))
    assert b"abc123" not in gzip.decompress(path.read_bytes()) and b"dTpw" not in gzip.decompress(path.read_bytes())
    with path.open("rb") as stream:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Npswatch-Redacted"), r.http_headers.headers)
                   for r in ArchiveIterator(stream, check_digests="raise") if r.rec_type != "warcinfo"]  # fmt: skip
    (_, said, headers), (_, req_said, req_headers), *plain = records
    assert said == "Set-Cookie" and headers.count(("Set-Cookie", "redacted")) == 2
    assert req_said == "Cookie, Authorization"
    assert ("Cookie", "redacted") in req_headers and ("Authorization", "redacted") in req_headers
    assert ("Accept", "text/html") in req_headers
    assert [said for _, said, _ in plain] == [None, None]


def test_warc_files_and_their_directories_are_owner_only(tmp_path: Path) -> None:
    writer = RotatingWarcWriter(tmp_path / "warc" / "nova", "nova", 100 << 20)
    writer.write(*_exchange(1))
    writer.close()
    [path] = list((tmp_path / "warc" / "nova").glob("*.warc.gz"))
    modes = [stat.S_IMODE(p.stat().st_mode) for p in (path, path.parent, path.parent.parent)]
    assert modes == [0o600, 0o700, 0o700]
