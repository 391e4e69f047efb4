"""nlp must import (and run) without Scrapy or Twisted, and must read nothing at import time."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _in_fresh_process(*lines: str, timeout: int = 120) -> None:
    """Run these lines in a new Python process (nothing imported yet) and check that they pass."""
    code = "\n".join(lines) + "\n"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr


def test_nlp_imports_and_runs_without_scrapy_or_twisted() -> None:
    _in_fresh_process(
        "import sys, nlp",
        "e = nlp.extract('3-MMC 10g €45', lang='en')",
        "assert e.substances and e.offers",
        "bad = [m for m in ('scrapy', 'twisted') if m in sys.modules]",
        "assert not bad, bad",
    )


def test_importing_nlp_does_not_load_spacy_or_data() -> None:
    _in_fresh_process("import sys, nlp", "assert 'spacy' not in sys.modules", "assert 'lingua' not in sys.modules")


def test_nlp_reads_no_environment_variables() -> None:
    # configuration comes in as arguments (lexicon and rates paths, the rates table): see docs/extraction.md
    readers = re.compile(r"\bos\.environ\b|\bgetenv\(|\benvvar\b")
    found = [str(path) for path in sorted((ROOT / "nlp").rglob("*.py")) if readers.search(path.read_text("utf-8"))]
    assert not found


@pytest.mark.slow
def test_extraction_leaves_the_garbage_collector_as_it_found_it() -> None:
    # the batch API pauses the collector inside its own call only: nothing frozen, nothing left disabled
    _in_fresh_process(
        "import gc, nlp",
        "list(nlp.extract_many(['3-MMC 1g €10', 'snorted 50mg ketamine'] * 300, batch_size=64))",
        "assert gc.isenabled() and gc.get_freeze_count() == 0, (gc.isenabled(), gc.get_freeze_count())",
        "gc.disable()",
        "nlp.extract('MDMA 1g €10', lang='en')",
        "assert not gc.isenabled()",
    )
