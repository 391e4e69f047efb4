"""Serialised matcher tables: what the components would otherwise rebuild in every process before its first text.

Building a pipeline used to tokenize some 10,000 pattern texts (every lexicon form in its spellings, the route and
effect phrases, the consumption verbs) to get the token norms the ``PhraseMatcher`` tables hold. The tables keep
those norms as hashes (``PhraseMatcher.add`` takes them as they are), with the other values that cost time to
compute, per language in ``nlp/data/tables/<lang>.msgpack``; the lexicon's lookup tables, their keys computed
(:meth:`nlp.lexicon.Lexicon.to_data`), in ``lexicon.msgpack``. ``python -m nlp.tables`` writes them, the French
tokenizer data of ``nlp.tokenizer.write_french`` (``fr-tokenizer.msgpack``) and the tokenizer answers of
:mod:`nlp.specials` (``<lang>-specials.msgpack``); `make install` runs it, and ``python -m nlp.data.build_lexicon``
writes the tables and the lexicon's again.

Each file carries a fingerprint of everything its content depends on: this module's ``FORMAT`` (raised when the code
that makes the tables changes), the spaCy and Unicode versions, the language, and the bytes of the data files
(lexicon, routes, effects, cues). A component uses a section only if the fingerprint matches the files it reads;
otherwise (a lexicon edited since the tables were written, a missing file) it builds its tables from the data files
as before, and, for the shipped data files, logs a warning that says so and how to write them again. A stale table
is never used. The stored lexicon's fingerprint is of the lexicon file, the code that computes its keys
(``nlp/lexicon.py``, ``nlp/normalize.py``) and the Python and Unicode versions; a stale or missing one is not used
(the file is read instead, with a warning), nor for another lexicon file than the shipped one.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import sys
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy.about
import srsly

from nlp.data import DATA_DIR
from nlp.errors import DataFileError
from nlp.lexicon import DEFAULT_LEXICON, Lexicon

FORMAT = 2  # 2: the substances section keeps the norms of the lexemes a language's vocabulary starts with
TABLES_DIR = DATA_DIR / "tables"
INPUTS = (DEFAULT_LEXICON, DATA_DIR / "routes.tsv", DATA_DIR / "effects.tsv", DATA_DIR / "cues.json",
          DATA_DIR / "clinical_cues.json")  # fmt: skip
COMPONENTS = ("substances", "routes", "effects", "doses")  # the components that have a section
LEXICON_FORMAT = 1  # raised when what Lexicon.to_data stores, or how, changes
LEXICON_CODE = (Path(__file__).with_name("lexicon.py"), Path(__file__).with_name("normalize.py"))  # computes its keys
logger = logging.getLogger(__name__)
Section = dict[str, Any]


def path_for(lang: str, directory: Path = TABLES_DIR) -> Path:
    return directory / f"{lang}.msgpack"


def fingerprint(lang: str, inputs: tuple[Path, ...] = INPUTS) -> str:
    """What a table file's content depends on, as one hash."""
    digest = hashlib.sha256()
    for part in (str(FORMAT), spacy.about.__version__, unicodedata.unidata_version, lang):
        digest.update(part.encode() + b"\0")
    for path in inputs:
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def read(path: Path) -> dict[str, Any] | None:
    """The msgpack map in ``path``, or None when there is none (with a warning when the file is there but cannot be
    read)."""
    if not path.is_file():
        return None
    try:
        data = srsly.msgpack_loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        logger.warning("could not read the stored data %s (%s): building it from its sources instead", path, exc)
        return None
    return data if isinstance(data, dict) else None


def stored(path: Path) -> dict[str, Any] | None:
    """:func:`read`, once per version of the file."""
    return _stored(path, path.stat().st_mtime_ns) if path.is_file() else None


@lru_cache(maxsize=8)
def _stored(path: Path, mtime_ns: int) -> dict[str, Any] | None:
    return read(path)


@lru_cache(maxsize=8)
def _current(lang: str, inputs: tuple[Path, ...]) -> str:
    return fingerprint(lang, inputs)


def fresh_section(
    lang: str, name: str, directory: Path = TABLES_DIR, inputs: tuple[Path, ...] = INPUTS
) -> Section | None:
    """The stored section ``name`` of ``lang``'s tables if they were written from the current ``inputs``, else None
    (quietly: :func:`section`, called for the same section, says why)."""
    tables = stored(path_for(lang, directory))
    if tables is None or tables.get("fingerprint") != _current(lang, inputs):
        return None
    part = tables.get("sections", {}).get(name)
    return part if isinstance(part, dict) else None


def section(
    lang: str,
    name: str,
    build: Callable[[], Section],
    directory: Path = TABLES_DIR,
    inputs: tuple[Path, ...] = INPUTS,
) -> Section:
    """The stored section ``name`` of ``lang``'s tables in ``directory`` if they were written from the current
    ``inputs``, else ``build()`` (with a warning: the tables are stale or missing)."""
    path = path_for(lang, directory)
    tables = stored(path)
    if tables is None:
        logger.warning(
            "no matcher tables at %s: building them from the data files (slower start-up); "
            "`python -m nlp.tables` (run by `make install`) writes them",
            path,
        )
        return build()
    if tables.get("fingerprint") != _current(lang, inputs):
        logger.warning(
            "the matcher tables at %s are stale (written from other data files, or by another spaCy or table format): "
            "not used, building them from the data files; `python -m nlp.tables` (run by `make install`) writes them "
            "again",
            path,
        )
        return build()
    part = tables.get("sections", {}).get(name)
    if not isinstance(part, dict):
        raise DataFileError(f"{path}: expected a section {name!r} in the matcher tables, found none")
    return part


def lexicon_path(directory: Path = TABLES_DIR) -> Path:
    return directory / "lexicon.msgpack"


def lexicon_fingerprint(path: Path = DEFAULT_LEXICON) -> str:
    """What the stored lexicon depends on: the lexicon file, the code that computes its keys, the Python and Unicode
    versions (case folding, normalisation)."""
    digest = hashlib.sha256(f"{LEXICON_FORMAT}\0{sys.version}\0{unicodedata.unidata_version}\0".encode())
    for source in (path, *LEXICON_CODE):
        digest.update(source.read_bytes() + b"\0")
    return digest.hexdigest()


def stored_lexicon(path: Path, directory: Path = TABLES_DIR) -> Lexicon | None:
    """The shipped lexicon made from its stored tables (:meth:`Lexicon.to_data`), if they were written from the
    current lexicon file and code; None for another lexicon file, or, with a warning, when they are missing or
    stale."""
    if path.resolve() != DEFAULT_LEXICON.resolve():
        return None
    where = lexicon_path(directory)
    data = read(where)
    if data is None:
        logger.warning("no stored lexicon at %s: reading %s (slower start-up); `python -m nlp.tables` (run by "
                       "`make install`) writes it", where, path)  # fmt: skip
        return None
    if data.get("fingerprint") != lexicon_fingerprint(path):
        logger.warning("the stored lexicon at %s is stale (written from another lexicon file or code): reading %s; "
                       "`python -m nlp.tables` (run by `make install`) writes it again", where, path)  # fmt: skip
        return None
    return Lexicon.from_data(data["lexicon"])


def write_lexicon(directory: Path = TABLES_DIR) -> Path:
    """Read the shipped lexicon file and store its lookup tables."""
    directory.mkdir(parents=True, exist_ok=True)
    path = lexicon_path(directory)
    tmp = path.with_suffix(".tmp")
    data = {"fingerprint": lexicon_fingerprint(), "lexicon": Lexicon.load(DEFAULT_LEXICON).to_data()}
    tmp.write_bytes(srsly.msgpack_dumps(data))
    tmp.replace(path)
    return path


def write(langs: tuple[str, ...], directory: Path = TABLES_DIR) -> list[Path]:
    """Store the lexicon's lookup tables, then build every language's pipeline from the data files (not from stored
    tables) and write its tables."""
    from nlp import pipeline

    written = [write_lexicon(directory)]
    for lang in langs:
        built = pipeline.build(lang, component_config={name: {"tables": False} for name in COMPONENTS})
        components: dict[str, Any] = {name: built.get_pipe(name) for name in COMPONENTS}
        sections = {name: component.table_data() for name, component in components.items()}
        path = path_for(lang, directory)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(srsly.msgpack_dumps({"fingerprint": fingerprint(lang), "sections": sections}))
        tmp.replace(path)
        written.append(path)
    _stored.cache_clear()
    return written


def main(argv: list[str] | None = None) -> int:
    from nlp.resources import LANGS

    parser = argparse.ArgumentParser(description="Write the matcher tables and tokenizer answers (nlp/data/tables/).")
    parser.add_argument("--dir", type=Path, default=TABLES_DIR, help="where to write (default: nlp/data/tables)")
    parser.add_argument("langs", nargs="*", default=list(LANGS), help="languages (default: all four)")
    args = parser.parse_args(argv)
    if "fr" in args.langs:  # first: the French tables are then built with it, as a pipeline will be
        from nlp.tokenizer import FRENCH_DATA, write_french

        try:
            path = write_french(args.dir / FRENCH_DATA.name)
            print(f"wrote {path} ({path.stat().st_size:,} bytes)", file=sys.stderr)
        except DataFileError as exc:
            print(f"npswatch: the French tokenizer is not stored ({exc}); French uses spaCy's own", file=sys.stderr)
    from nlp import specials

    for lang in args.langs:  # before the tables: their pipelines are then built with them, as a pipeline will be
        path = specials.write(lang, args.dir)
        print(f"wrote {path} ({path.stat().st_size:,} bytes)", file=sys.stderr)
    for path in write(tuple(args.langs), args.dir):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
