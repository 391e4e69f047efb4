"""The evidence package: the archived responses behind exported rows (and their requests), as a WACZ file.

The WARC records whose ``WARC-Record-ID`` the export names (each row's page and, with history, each day's page) are
copied byte for byte (one gzip member each, as crawled) from the crawl's WARC files into one WARC, with the request
records made with them (``WARC-Concurrent-To``); a pages index lists every archived response (URL and capture
time), and py-wacz (``wacz create``) packs both with its CDXJ index and datapackage.  The pages are as the sites
served them: vendor and user names are NOT pseudonymised (docs/export.md).
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from storage.private import FILE_MODE


class EvidenceError(Exception):
    """The evidence package could not be made; the message says which file or record."""


@dataclass(frozen=True)
class Packed:
    path: Path
    records: int  # WARC records (responses and their requests)
    pages: int  # archived responses in the pages index
    missing: int  # record ids named by the rows and found in no WARC file


def write_wacz(warc_dir: Path, record_ids: Iterable[str], out: Path) -> Packed:
    """Pack the records ``record_ids`` name (found under ``warc_dir``) into the WACZ ``out``."""
    from wacz.main import main as wacz_main

    wanted = set(record_ids)
    with tempfile.TemporaryDirectory(prefix="npswatch-evidence-") as tmp:
        warc, pages_file = Path(tmp) / "evidence.warc.gz", Path(tmp) / "pages.jsonl"
        pages, records, found = _copy_records(warc_dir, wanted, warc)
        lines = [{"format": "json-pages-1.0", "id": "pages", "title": "Pages behind the exported rows"}, *pages]
        pages_file.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
        args = ["create", "-o", str(out), "-p", str(pages_file), "--title", "npswatch evidence", str(warc)]
        log = io.StringIO()
        with contextlib.redirect_stdout(log):
            code = wacz_main(args) if records else _empty(wacz_main, args, warc)
        if code not in (0, None) or not out.exists():
            raise EvidenceError(f"{out}: wacz create failed ({log.getvalue().strip()[-500:]})")
    out.chmod(FILE_MODE)
    return Packed(out, records, len(pages), len(wanted - found))


def _empty(wacz_main: object, args: list[str], warc: Path) -> int:
    """No record to pack (an empty export): a WACZ holding only a warcinfo record."""
    from warcio.warcwriter import WARCWriter

    with warc.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        writer.write_record(writer.create_warcinfo_record(warc.name, {"software": "npswatch", "note": "no records"}))
    assert callable(wacz_main)
    return int(wacz_main([a for a in args if a not in ("-p", str(warc.with_name("pages.jsonl")))]) or 0)


def _copy_records(warc_dir: Path, wanted: set[str], out: Path) -> tuple[list[dict[str, str]], int, set[str]]:
    """Copy the wanted responses and their requests into ``out``; the pages index lines, records copied, ids found."""
    pages: list[dict[str, str]] = []
    found: set[str] = set()
    records = 0
    with out.open("wb") as target:
        for path in sorted(warc_dir.rglob("*.warc.gz")) if wanted else []:
            spans: list[tuple[int, int]] = []
            try:
                with path.open("rb") as stream:
                    iterator = ArchiveIterator(stream)
                    for record in iterator:
                        rid = record.rec_headers.get_header("WARC-Record-ID")
                        if rid in wanted and record.rec_type == "response":
                            found.add(rid)
                            pages.append({"url": record.rec_headers.get_header("WARC-Target-URI"),
                                          "ts": record.rec_headers.get_header("WARC-Date")})  # fmt: skip
                        elif record.rec_headers.get_header("WARC-Concurrent-To") not in wanted:
                            continue
                        iterator.read_to_end(record)
                        spans.append((iterator.get_record_offset(), iterator.get_record_length()))
                    for offset, length in spans:
                        stream.seek(offset)
                        target.write(stream.read(length))
                        records += 1
            except (OSError, ValueError) as exc:
                raise EvidenceError(f"{path}: cannot read WARC records ({exc})") from exc
    return pages, records, found
