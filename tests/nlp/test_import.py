"""nlp must import (and run) without Scrapy or Twisted, and must read nothing at import time."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_nlp_imports_and_runs_without_scrapy_or_twisted() -> None:
    code = (
        "import sys, nlp\n"
        "e = nlp.extract('3-MMC 10g €45', lang='en')\n"
        "assert e.substances and e.offers\n"
        "bad = [m for m in ('scrapy', 'twisted') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_importing_nlp_does_not_load_spacy_or_data() -> None:
    code = "import sys, nlp\nassert 'spacy' not in sys.modules\nassert 'lingua' not in sys.modules\n"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
