"""Settings in one module: every NPSWATCH_* variable declared once, documented, read there only and when needed."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from npswatch import settings
from tests.test_layers import MODULES, ROOT

# Modules that may read the environment besides npswatch.settings, and why.
READERS = {
    "npswatch.settings": "the one home of the NPSWATCH_* variables",
    "crawlers.sourcefile": "a source file's ${VARIABLE} references, whatever their name (docs/sources.md)",
}


def documented() -> dict[str, str]:
    """Variable -> its default column, from the environment table of docs/settings.md."""
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    table = text.split("## Environment", 1)[1].split("\n\n", 2)[1]
    return {m[1]: m[2] for m in re.finditer(r"^\| `(NPSWATCH_[A-Z0-9_]+)` \| ([^|]*) \|", table, re.MULTILINE)}


def test_every_variable_is_documented_and_every_documented_one_declared() -> None:
    assert list(documented()) == [v.name for v in settings.VARIABLES]


def test_secrets_have_no_default() -> None:
    secrets = [v for v in settings.VARIABLES if v.secret]
    assert {v.name for v in secrets} >= {"NPSWATCH_WEBHOOK_SECRET", "NPSWATCH_PSEUDONYM_KEY", "NPSWATCH_ES_PASSWORD"}
    assert all(v.default is None and v.shown is None for v in secrets)
    shown = documented()
    assert all(shown[v.name].strip() == "none (a secret)" for v in secrets)


def reads_environment(path: Path) -> list[int]:
    """Lines reading the environment: os.environ.get(...), os.environ[...] as a value, os.getenv(...)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        call = isinstance(node, ast.Call) and ast.unparse(node.func) in ("os.environ.get", "os.getenv")
        item = isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load)
        item = item and ast.unparse(node.value) == "os.environ"  # type: ignore[attr-defined]
        if call or item:
            found.append(node.lineno)  # type: ignore[attr-defined]
    return found


def test_only_the_settings_module_reads_the_environment() -> None:
    wrong = [f"{path.relative_to(ROOT)}:{line}" for module, path in MODULES.items()
             if not any(module == r or module.startswith(r + ".") for r in READERS)
             for line in reads_environment(path)]  # fmt: skip
    assert wrong == [], "read the environment through npswatch.settings:\n" + "\n".join(wrong)


def test_values_are_read_when_asked_not_at_import(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NPSWATCH_DB", raising=False)
    monkeypatch.setenv("NPSWATCH_DATA_DIR", str(tmp_path))
    assert settings.data_dir() == tmp_path and settings.db_target() == str(tmp_path / "npswatch.sqlite3")
    monkeypatch.setenv("NPSWATCH_DATA_DIR", "")  # empty is unset
    assert settings.data_dir() == Path("var")
    monkeypatch.setenv("NPSWATCH_CRAWL_TIMEOUT", "90")
    assert settings.crawl_timeout() == 90.0


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("NPSWATCH_CRAWL_TIMEOUT", "four hours", "NPSWATCH_CRAWL_TIMEOUT: expected a number, found 'four hours'"),
        ("NPSWATCH_SCHEDULER_WORKERS", "2.5", "NPSWATCH_SCHEDULER_WORKERS: expected a whole number, found '2.5'"),
        ("NPSWATCH_MISFIRE_GRACE", "-1", "NPSWATCH_MISFIRE_GRACE: expected a number of 0 or more, found '-1'"),
    ],
)
def test_a_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str) -> None:
    monkeypatch.setenv(name, value)
    reader = {"NPSWATCH_CRAWL_TIMEOUT": settings.crawl_timeout, "NPSWATCH_MISFIRE_GRACE": settings.misfire_grace,
              "NPSWATCH_SCHEDULER_WORKERS": settings.scheduler_workers}[name]  # fmt: skip
    with pytest.raises(settings.SettingsError, match=re.escape(message)):
        reader()


def test_an_undeclared_name_is_refused() -> None:
    with pytest.raises(KeyError, match="NPSWATCH_NOPE is not an npswatch setting"):
        settings.raw("NPSWATCH_NOPE")
