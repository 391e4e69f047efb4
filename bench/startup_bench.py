"""Start-up: how long a fresh process takes to import nlp and to build each language's pipeline before its first text.

Each measure runs in a new Python process (nothing cached): the import of ``nlp.api`` (spaCy), then
``nlp.pipeline.get(lang)``, then one extraction. Wall-clock and CPU time of the process are both printed (on a
shared machine the CPU time is the steadier one); the median of ``--runs`` processes per language is kept.

    python bench/startup_bench.py [--runs 3] [--root DIR]   # DIR: another checkout to measure (its nlp/)
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
c0, w0 = time.process_time(), time.perf_counter()
import nlp.api
from nlp import pipeline
c1, w1 = time.process_time(), time.perf_counter()
pipeline.get(sys.argv[2])
c2, w2 = time.process_time(), time.perf_counter()
nlp.extract("3-MMC 10g 45 EUR, snorted 50mg", lang=sys.argv[2])
print(json.dumps({"import_s": w1 - w0, "import_cpu_s": c1 - c0, "pipeline_s": w2 - w1, "pipeline_cpu_s": c2 - c1,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(root: Path, lang: str, runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        command = [sys.executable, "-c", PROBE, str(root), lang]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        samples.append(json.loads(done.stdout.splitlines()[-1]))
    return {key: round(statistics.median(s[key] for s in samples), 3) for key in samples[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose nlp/ is measured")
    parser.add_argument("langs", nargs="*", default=["en", "nl", "fr", "de"])
    args = parser.parse_args(argv)
    for lang in args.langs:
        print(lang, json.dumps(measure(args.root, lang, args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
