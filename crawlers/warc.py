"""WARC evidence: every request and response of a crawl, written to rotating gzip WARC files.

The middleware stores the WARC-Record-ID of each response in ``request.meta`` under
``warc_record_id`` (and the file under ``warc_file``), so every item can name the exact
bytes it was read from.  It sits before decompression, so the payload is what the site
sent.

Files are gzip per record (one gzip member per WARC record, as web archives write them),
at ``NPSWATCH_WARC_GZIP_LEVEL`` (zlib's default 6; warcio's own writer always uses 9).

Evidence is not a place for secrets: the values of ``Cookie``, ``Authorization`` and
``Proxy-Authorization`` in request records, and of ``Set-Cookie`` in response records (a session
a person logged in for), are replaced by ``redacted``, and the record names the headers it redacted
in ``WARC-Npswatch-Redacted``.  Files are created owner-only (0600, directories 0700).
"""

from __future__ import annotations

import logging
import zlib
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from scrapy import signals
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storage.private import private_dirs, private_opener

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)
DEFAULT_GZIP_LEVEL = 6
_MIN_LOOKAHEAD = 262  # zlib: a match reaches back at most the window size less this
SECRET_HEADERS = frozenset({"cookie", "authorization", "proxy-authorization", "set-cookie"})  # lower case
REDACTED = "redacted"
REDACTED_HEADER = "WARC-Npswatch-Redacted"  # the names of the headers whose values a record leaves out


def redacted(headers: Any) -> tuple[list[tuple[str, str]], str | None]:
    """Scrapy headers as (name, value) pairs with secret values replaced, and the names replaced (or None)."""
    pairs, names = [], []
    for key, values in headers.items():
        name = key.decode("latin-1")
        secret = name.lower() in SECRET_HEADERS
        if secret and name not in names:
            names.append(name)
        pairs += [(name, REDACTED if secret else value.decode("latin-1")) for value in values]
    return pairs, ", ".join(names) or None


def gzip_member(data: bytes, level: int = DEFAULT_GZIP_LEVEL) -> bytes:
    """``data`` as one gzip member, with a deflate window no larger than the data needs.

    Setting up zlib's default 32 KiB window costs more than compressing a 5 KB page; a window
    that still spans the whole record finds the same matches, so the output is about as small.
    """
    window_bits = max(9, min(15, (len(data) + _MIN_LOOKAHEAD).bit_length()))
    compressor = zlib.compressobj(level, zlib.DEFLATED, 16 + window_bits, 7)
    return compressor.compress(data) + compressor.flush()


class RotatingWarcWriter:
    """Gzip WARC files under ``directory``, a new one after ``max_bytes``; each starts with warcinfo."""

    def __init__(self, directory: Path, prefix: str, max_bytes: int, level: int = DEFAULT_GZIP_LEVEL) -> None:
        self.directory = directory
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.level = level
        self.serial = 0
        self.path: Path | None = None
        self._file: IO[bytes] | None = None
        self._record = BytesIO()  # one uncompressed record at a time, then gzipped as its own member
        self._builder = WARCWriter(self._record, gzip=False)

    def _open(self) -> IO[bytes]:
        if self._file is not None and self._file.tell() < self.max_bytes:
            return self._file
        self.close()
        private_dirs(self.directory)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        while True:
            self.serial += 1
            self.path = self.directory / f"{self.prefix}-{stamp}-{self.serial:05d}.warc.gz"
            if not self.path.exists():
                break
        self._file = open(self.path, "xb", opener=private_opener)  # noqa: SIM115 (kept open across records)
        info = {"software": "npswatch", "format": "WARC File Format 1.0", "isPartOf": self.prefix}
        self._write_record(self._file, self._builder.create_warcinfo_record(self.path.name, info))
        return self._file

    def _write_record(self, file: IO[bytes], record: Any) -> None:
        self._record.seek(0)
        self._record.truncate()
        self._builder.write_record(record)
        file.write(gzip_member(self._record.getvalue(), self.level))

    def write(self, request: Request, response: Response) -> str:
        """Write the response and request records; return the response record's WARC-Record-ID."""
        file = self._open()
        status = f"{response.status} {_reason(response.status)}"
        headers, hidden = redacted(response.headers)
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        record = self._builder.create_warc_record(
            response.url, "response", payload=BytesIO(response.body), length=len(response.body), http_headers=http,
            warc_headers_dict={REDACTED_HEADER: hidden} if hidden else None,
        )  # fmt: skip
        record_id: str = record.rec_headers.get_header("WARC-Record-ID")
        req_headers, req_hidden = redacted(request.headers)
        path = request.url.split("/", 3)[3] if request.url.count("/") >= 3 else ""
        req_http = StatusAndHeaders(f"{request.method} /{path} HTTP/1.1", req_headers, is_http_request=True)
        req_record = self._builder.create_warc_record(
            request.url,
            "request",
            payload=BytesIO(request.body),
            length=len(request.body),
            http_headers=req_http,
            warc_headers_dict={"WARC-Concurrent-To": record_id} | ({REDACTED_HEADER: req_hidden} if req_hidden else {}),
        )
        self._write_record(file, record)
        self._write_record(file, req_record)
        file.flush()  # to the OS now: an item naming this record may be stored before the buffer fills (kill -9)
        return record_id

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file = None


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class WarcMiddleware:
    """Downloader middleware writing every response (and its request) to the source's WARC files."""

    def __init__(self, crawler: Crawler, directory: Path, max_bytes: int, level: int = DEFAULT_GZIP_LEVEL) -> None:
        self.crawler = crawler
        self.directory = directory
        self.max_bytes = max_bytes
        self.level = level
        self.writer: RotatingWarcWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        directory, max_bytes = Path(settings["NPSWATCH_WARC_DIR"]), settings.getint("NPSWATCH_WARC_MAX_BYTES")
        middleware = cls(crawler, directory, max_bytes, settings.getint("NPSWATCH_WARC_GZIP_LEVEL", DEFAULT_GZIP_LEVEL))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Request, response: Response) -> Response:
        if self.writer is None:
            name = self.crawler.spider.name if self.crawler.spider else "crawl"
            source = getattr(self.crawler.spider, "source", None)
            prefix = source.name if source is not None else name
            self.writer = RotatingWarcWriter(self.directory / prefix, prefix, self.max_bytes, self.level)
        request.meta["warc_record_id"] = self.writer.write(request, response)
        request.meta["warc_file"] = str(self.writer.path)
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("npswatch/warc/records")
        return response

    def spider_closed(self) -> None:
        if self.writer is None:
            return
        try:
            self.writer.close()
        except OSError as exc:  # the last records did not reach the disk (a full disk): the crawl fails
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("npswatch/write_errors/warc")
            logger.error("WARC file %s could not be completed: %s", self.writer.path, exc)
