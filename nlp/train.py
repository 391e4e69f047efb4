"""Train the recogniser (``npswatch_recogniser_v1``): ``make train``, or ``python -m nlp.train [--shared DIR]``.

Reads the Reddit r/opiates drug NER set from ``reddit_drug_ner/drugs_training.jsonl`` in the shared data folder
(``--shared``, default ``../shared/data`` beside the project, as for ``nlp.evaluate`` and the lexicon build; `make
train` passes ``$NPSWATCH_SHARED_DIR`` when it is set; MIT, ExplosionAI; never committed here) and writes the model
to ``nlp/data/recogniser/`` (``ner/`` and ``meta.json``; the architecture and the training settings are the committed
``config.cfg`` there). Without the set it says so and leaves the committed model alone: ``make install`` never
trains.

Training examples, all English except the last kind:
- the Reddit texts of the train part (``nlp.evaluate.reddit_split``: the dev part is never trained on) with their
  hand-annotated drug spans; generic words the annotators also marked ("drugs", "pills", "opiates", "benzos") are
  left unlabelled, as the project's gold sets leave them;
- ``augment`` weakly labelled copies of each of those texts, each annotated mention replaced by a random form of the
  lexicon (the context says "drug", the lexicon gives the word);
- if ``rules_on_gold``: the npswatch gold-set texts (en/nl/fr/de, written by the developers) labelled by the rules'
  own findings, not by the gold annotations.
Hold-out sets A and B are never read. Seeds and settings are pinned in ``config.cfg``: training again on the same
data gives the same weights (one BLAS thread, as `make train` sets; a few minutes on one core).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from nlp.data import DATA_DIR

MODEL_DIR = DATA_DIR / "recogniser"
CONFIG = MODEL_DIR / "config.cfg"
LABEL = "DRUG"


def replace_mentions(
    text: str, spans: list[tuple[int, int]], pick: Callable[[str], str]
) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with each span (sorted, not overlapping) replaced by ``pick(surface)``; the new spans."""
    out: list[str] = []
    new_spans: list[tuple[int, int]] = []
    at = length = 0
    for start, end in spans:
        out.append(text[at:start])
        length += start - at
        word = pick(text[start:end])
        new_spans.append((length, length + len(word)))
        out.append(word)
        length += len(word)
        at = end
    out.append(text[at:])
    return "".join(out), new_spans


def same_case(surface: str, form: str) -> str:
    """``form`` written in the case of ``surface`` (all lower, all upper, or capitalised), else as it is."""
    if surface.islower():
        return form.lower()
    if surface.isupper() and len(surface) > 1:
        return form.upper()
    if surface[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


def _examples(nlp: Any, items: Iterable[tuple[str, list[tuple[int, int]]]]) -> list[Any]:
    from spacy.training import Example
    from spacy.util import filter_spans

    examples = []
    for text, spans in items:
        reference = nlp.make_doc(text)
        found = [reference.char_span(s, e, label=LABEL, alignment_mode="expand") for s, e in spans]
        reference.ents = filter_spans([span for span in found if span is not None])
        examples.append(Example(nlp.make_doc(text), reference))
    return examples


def build_examples(settings: dict[str, Any], reddit_train: list[Any], trainer: Any, rng: random.Random) -> list[Any]:
    """The training examples described in the module docstring."""
    from nlp import resources
    from nlp.evaluate import load_gold

    items = [(t.text, [(s.start, s.end) for s in t.spans]) for t in reddit_train]
    forms = sorted({form for form, _ in resources.lexicon().forms})
    for _ in range(int(settings["augment"])):
        for text, spans in list(items[: len(reddit_train)]):
            if spans:
                items.append(replace_mentions(text, spans, lambda surface: same_case(surface, rng.choice(forms))))
    if settings["rules_on_gold"]:
        from nlp.api import Record, extract_many

        gold = load_gold()
        # the rules' own findings: the weak labels must not come from a model (and none may exist yet)
        results = extract_many([Record(t.text, i, t.lang) for i, t in enumerate(gold)], recogniser=False)
        items += [(t.text, [(m.start, m.end) for m in r.substances]) for t, r in zip(gold, results, strict=True)]
    return _examples(trainer, items)


def _batches(examples: list[Any], sizes: Iterator[float]) -> Iterator[list[Any]]:
    """``examples`` in consecutive batches, each as long as the next of ``sizes``."""
    at = 0
    while at < len(examples):
        size = max(1, int(next(sizes)))
        yield examples[at : at + size]
        at += size


def model_spans(trainer: Any, texts: list[str]) -> list[list[tuple[int, int]]]:
    return [[(e.start_char, e.end_char) for e in doc.ents] for doc in trainer.pipe(texts, batch_size=64)]


def dev_scores(trainer: Any, dev: list[Any]) -> dict[str, float]:
    """Strict and lenient P/R/F1 of the model alone on the Reddit dev texts (generic words set aside)."""
    from nlp.evaluate import score
    from nlp.types import Extraction, SubstanceMention

    results = []
    for text, spans in zip(dev, model_spans(trainer, [t.text for t in dev]), strict=True):
        mentions = [SubstanceMention(text.text[s:e], s, e, None, "other", "unknown", False, False) for s, e in spans]
        results.append(Extraction(lang="en", substances=mentions))
    scores = score(dev, results)
    out: dict[str, float] = {}
    for name, counts in (("strict", scores.substances_strict), ("lenient", scores.substances_lenient)):
        out |= {f"{name}_p": counts.precision, f"{name}_r": counts.recall, f"{name}_f1": counts.f1}
    return {k: round(v, 4) for k, v in out.items()}


def train(reddit_path: Path, out_dir: Path, config_path: Path = CONFIG) -> dict[str, Any]:
    """Train on ``reddit_path`` (and the weak labels) with the settings of ``config_path``; save to ``out_dir``."""
    import spacy
    from spacy.about import __version__ as spacy_version
    from thinc.api import Config, compounding, fix_random_seed

    from nlp.evaluate import load_reddit, reddit_split
    from nlp.tokenizer import chemical_language

    config = Config().from_disk(config_path)
    settings = dict(config["npswatch_training"])
    seed = int(settings["seed"])
    fix_random_seed(seed)
    rng = random.Random(seed)
    reddit_train, reddit_dev = reddit_split(load_reddit(reddit_path))
    trainer = chemical_language(spacy.util.get_lang_class("en")).from_config({})  # the pipelines' tokenizer
    trainer.add_pipe("ner", config={"model": config["components"]["ner"]["model"]})
    ner: Any = trainer.get_pipe("ner")
    examples = build_examples(settings, reddit_train, trainer, rng)
    optimizer = trainer.initialize(lambda: examples)
    history = []
    for epoch in range(int(settings["epochs"])):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        started = time.process_time()
        sizes = iter(compounding(float(settings["batch_start"]), float(settings["batch_stop"]), 1.001))
        for batch in _batches(examples, sizes):
            trainer.update(batch, drop=float(settings["dropout"]), sgd=optimizer, losses=losses)
        scores = dev_scores(trainer, reddit_dev)
        history.append({"epoch": epoch + 1, "loss": round(float(losses.get("ner", 0.0)), 1), **scores})
        print(f"epoch {epoch + 1}: {history[-1]} ({time.process_time() - started:.0f} s)", file=sys.stderr)
    out_dir.mkdir(parents=True, exist_ok=True)
    ner.to_disk(out_dir / "ner", exclude=["vocab"])
    if out_dir.resolve() != config_path.parent.resolve():
        shutil.copyfile(config_path, out_dir / "config.cfg")
    meta = {
        "name": "npswatch_recogniser_v1",
        "label": LABEL,
        "spacy": spacy_version,
        "examples": len(examples),
        "reddit_train_texts": len(reddit_train),
        "reddit_dev_texts": len(reddit_dev),
        "settings": settings,
        "dev_model_only": history[-1],
    }
    (out_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def main(argv: list[str] | None = None) -> int:
    from nlp.evaluate import REDDIT, SHARED

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help=f"the shared data folder (default {SHARED})")
    parser.add_argument("--out", type=Path, default=MODEL_DIR, help=f"where the model goes (default {MODEL_DIR})")
    parser.add_argument("--config", type=Path, default=CONFIG, help="architecture and settings (default: committed)")
    args = parser.parse_args(argv)
    reddit_path = args.shared / REDDIT
    if not reddit_path.is_file():
        print(
            f"npswatch train: skipped, no training data at {reddit_path} (the shared data folder is not part of a "
            f"clone: --shared DIR, or NPSWATCH_SHARED_DIR for make train). The committed model in {MODEL_DIR} is "
            "kept.",
            file=sys.stderr,
        )
        return 0
    meta = train(reddit_path, args.out, args.config)
    print(json.dumps(meta["dev_model_only"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
