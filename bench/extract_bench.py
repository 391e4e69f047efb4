"""Extraction speed: texts per second of CPU time on one core, for listing titles and for forum posts, and the ratio
of full extraction to a tokenizer-only pass of the same spaCy language over the same texts (the floor of any
spaCy pipeline).

Writes ``bench/results/extract.json`` as ``{"titles_per_s", "posts_per_s", "ratio_to_tokenizer", "peak_rss_mb"}``.
Texts are the gold-set titles and posts (tests/nlp/gold), repeated to ``--n`` texts, each with its language given
(language identification is timed separately and printed, not included in the ratio).

    python bench/extract_bench.py [--n 20000] [--out bench/results/extract.json] [--no-recogniser]

Extraction as shipped, the trained recogniser included; ``--no-recogniser``: the rule components only.
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp import langid, pipeline  # noqa: E402
from nlp.api import Record, extract_many  # noqa: E402
from nlp.evaluate import load_gold  # noqa: E402

SLICE = 1000  # texts timed together


def _best_of(runs: int, fn: Callable[[], object]) -> float:
    return _interleaved(runs, [fn])[0]


def _interleaved(runs: int, fns: list[Callable[[], object]]) -> list[float]:
    """The best CPU time of each function over ``runs`` rounds, the functions taking turns in each round, so that a
    slow spell of the machine hits the full pass and its tokenizer floor alike."""
    best = [float("inf")] * len(fns)
    for _ in range(runs):
        for k, fn in enumerate(fns):
            start = time.process_time()  # CPU time of this process: other work on the machine does not count
            fn()
            best[k] = min(best[k], time.process_time() - start)
    return best


Texts = list[tuple[str, str]]  # (text, language)


def _sliced(runs: int, passes: list[Callable[[Texts], object]], texts: Texts) -> list[float]:
    """The CPU time of each pass over ``texts``, as the sum over slices of ``SLICE`` texts of its best time on that
    slice in ``runs`` rounds, the passes taking turns on each slice. On a shared machine (a virtual one here) slow
    spells of a few hundred milliseconds come often: a short slice is more likely than a whole pass to get one
    clean run, and the full pass and its tokenizer floor are timed within milliseconds of each other."""
    slices = [texts[at : at + SLICE] for at in range(0, len(texts), SLICE)]
    totals = [0.0] * len(passes)
    for part in slices:
        best = _interleaved(runs, [functools.partial(run, part) for run in passes])
        totals = [total + b for total, b in zip(totals, best, strict=True)]
    return totals


def _texts(kinds: tuple[str, ...], n: int) -> Texts:
    base = [(t.text, t.lang) for t in load_gold() if t.kind in kinds]
    return [base[i % len(base)] for i in range(n)]


def _full(texts: Texts, recogniser: bool = True) -> None:
    for _ in extract_many((Record(text, None, lang) for text, lang in texts), batch_size=256, recogniser=recogniser):
        pass


def _tokenizer_only(texts: Texts) -> None:
    for text, lang in texts:
        pipeline.get(lang).make_doc(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="texts per measurement (default 20000)")
    parser.add_argument("--runs", type=int, default=10, help="best of this many rounds per slice (default 10)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "extract.json")
    parser.add_argument("--no-recogniser", action="store_true", help="the rule components only (for comparison)")
    args = parser.parse_args(argv)
    full = functools.partial(_full, recogniser=not args.no_recogniser)

    titles = _texts(("title",), args.n)
    posts = _texts(("post", "report", "description"), args.n)
    full(titles[:500] + posts[:500])  # build pipelines, load data
    t_titles, tok_titles = _sliced(args.runs, [full, _tokenizer_only], titles)
    t_posts, tok_posts = _sliced(args.runs, [full, _tokenizer_only], posts)
    t_langid = _best_of(1, lambda: [langid.detect(text) for text, _ in posts])

    result = {
        "titles_per_s": round(len(titles) / t_titles, 1),
        "posts_per_s": round(len(posts) / t_posts, 1),
        "ratio_to_tokenizer": round((t_titles + t_posts) / (tok_titles + tok_posts), 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    print(
        f"µs per text: titles {1e6 * t_titles / len(titles):.2f} (tokenizer {1e6 * tok_titles / len(titles):.2f}), "
        f"posts {1e6 * t_posts / len(posts):.2f} (tokenizer {1e6 * tok_posts / len(posts):.2f}); "
        f"ratio titles {t_titles / tok_titles:.2f}, posts {t_posts / tok_posts:.2f}; "
        f"language identification adds {1e6 * t_langid / len(posts):.0f} µs per post when lang is not given",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
