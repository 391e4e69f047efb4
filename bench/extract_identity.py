"""Output identity: extraction of a fixed, large set of texts, written as JSON lines, to compare two builds of the code.

A change that must not change extraction output (speed, structure) is checked with it: run it before the change
(``--write before.jsonl``), after it (``--compare before.jsonl``), with the compiled modules and with the Python
sources (``--pure``: the run happens in a copy of the sources without the compiled modules). The texts are every text
of ``tests/nlp/gold/*``, the Reddit r/opiates texts and every PsyTAR sentence from ``../shared/data`` (when present),
their upper-case, lower-case, halved and mirrored forms, one 120,000-character text, and texts with HTML and control
bytes; each goes through at batch sizes 256, 7 and 1, twice (cold and warm caches), and all passes must agree.

Offers are converted with a pinned table (``bench/data/rates-identity.csv``, the approximate table shipped before
2026-12-07), so that a new shipped rates table does not count as a change; the ``rate_stale`` field added to offers
on 2026-12-07 is left out of the comparison (older outputs do not have it).

    python bench/extract_identity.py --write /tmp/before.jsonl     # before the change
    python bench/extract_identity.py --compare /tmp/before.jsonl   # after it (exit status 1 on any difference)
    python bench/extract_identity.py --pure --compare /tmp/before.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
PINNED_RATES = ROOT / "bench" / "data" / "rates-identity.csv"
LEFT_OUT = ("rate_stale",)  # offer fields newer than the first outputs compared


def texts(shared: Path) -> list[tuple[str, str | None]]:
    """(text, language or None for detection)."""
    sys.path.insert(0, str(ROOT))
    from nlp.evaluate import GOLD_DIR, load_gold, load_psytar

    base: list[tuple[str, str | None]] = []
    for prefix in sorted({p.name.split("_")[0] for p in GOLD_DIR.glob("*_??.tsv")}):
        base += [(t.text, t.lang) for t in load_gold(GOLD_DIR, prefix)]
    reddit = shared / "reddit_drug_ner" / "drugs_training.jsonl"
    if reddit.is_file():
        base += [(json.loads(line)["text"], "en") for line in reddit.read_text(encoding="utf-8").splitlines()]
    for split in sorted((shared / "psytar").glob("psytar_conll_*.txt")):
        base += [(text, "en") for text, _ in load_psytar(split)]
    out = list(base)
    out += [(t.upper(), lang) for t, lang in base]
    out += [(t.lower(), None) for t, lang in base]
    out += [(t[: len(t) // 2], lang) for t, lang in base]
    out += [(t[::-1], lang) for t, lang in base[:2000]]
    out.append((" ".join(t for t, _ in base)[:120_000], "en"))
    out += [(f"<b>{t}</b>\x00\x07 <a href='x'>\ufeff{t[:40]}</a>", lang) for t, lang in base[:500]]
    return out


def _use_rates(path: Path) -> Any:
    """The pinned table, given to the extraction however the code under test takes it."""
    from nlp import api
    from nlp.rates import load_rates

    table = load_rates(path)
    try:
        list(api.extract_many([], rates=table))
        return {"rates": table}
    except TypeError:
        pass
    from nlp import pipeline  # the code of 2026-12-06: the table is set on each pipeline's offers component

    for lang in ("en", "nl", "fr", "de"):
        pipeline.get(lang).get_pipe("offers").set_rates(table)
    return {}


def run(shared: Path) -> list[str]:
    from nlp.api import Record, extract_many

    kwargs = _use_rates(PINNED_RATES)
    days = [dt.date(2023, 11, 30), dt.date(2024, 6, 15), dt.date(2025, 3, 1), dt.date(2026, 12, 6)]
    records = [Record(t, i, lang, days[i % len(days)]) for i, (t, lang) in enumerate(texts(shared))]
    passes = []
    for batch_size in (256, 7, 1, 256):
        passes.append([_comparable(e.to_json()) for e in extract_many(records, batch_size=batch_size, **kwargs)])
    for k, other in enumerate(passes[1:], 1):
        differ = [i for i, (a, b) in enumerate(zip(passes[0], other, strict=True)) if a != b]
        if differ:
            raise SystemExit(f"pass {k} differs from pass 0 at {len(differ)} texts, first {differ[:5]}")
    return passes[0]


def _comparable(line: str) -> str:
    record = json.loads(line)
    if not any(field in offer for offer in record["offers"] for field in LEFT_OUT):
        return line
    for offer in record["offers"]:
        for field in LEFT_OUT:
            offer.pop(field, None)
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _in_pure_copy(argv: list[str]) -> int:
    """Run this script again in a copy of the project's Python sources and data, without compiled modules."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "project"
        ignore = shutil.ignore_patterns("*.so", "__pycache__", ".venv", ".git", "build", "var")
        for name in ("nlp", "bench", "tests"):
            shutil.copytree(ROOT / name, copy / name, ignore=ignore)
        rest = [a for a in argv if a != "--pure"]
        rest += ["--shared", str(SHARED)] if "--shared" not in rest else []
        done = subprocess.run([sys.executable, str(copy / "bench" / "extract_identity.py"), *rest], cwd=copy)
        return done.returncode


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="write the outputs here")
    parser.add_argument("--compare", type=Path, help="compare the outputs with this file (exit 1 if any differs)")
    parser.add_argument("--pure", action="store_true", help="run the Python sources, not the compiled modules")
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared data directory (Reddit, PsyTAR)")
    args = parser.parse_args(argv)
    if args.pure:
        return _in_pure_copy(argv)
    sys.path.insert(0, str(ROOT))
    import nlp

    lines = run(args.shared)
    print(f"{len(lines)} texts, {'compiled' if nlp.compiled() else 'Python sources'}", file=sys.stderr)
    if args.write:
        args.write.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.compare:
        before = args.compare.read_text(encoding="utf-8").splitlines()
        differ = [i for i, (a, b) in enumerate(zip(before, lines, strict=False)) if a != b]
        if differ or len(before) != len(lines):
            print(f"DIFFERENT: {len(differ)} texts differ (counts {len(before)} / {len(lines)})", file=sys.stderr)
            for i in differ[:5]:
                print(f"  {i}\n    before {before[i][:300]}\n    after  {lines[i][:300]}", file=sys.stderr)
            return 1
        print(f"identical to {args.compare}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
