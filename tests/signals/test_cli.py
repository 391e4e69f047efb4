"""`npswatch signals ...` through click's runner: run, list --json, show, ack, dismiss, backtest."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from npswatch.cli import main
from signals.detectors import get_detector
from tests.signals.synthetic import DAYS, day


@pytest.fixture
def db(filled_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("NPSWATCH_SIGNALS_DB", raising=False)
    monkeypatch.delenv("NPSWATCH_ALERTS_CONFIG", raising=False)
    return str(filled_path)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_run_then_list_json_gives_signal_objects(db: str) -> None:
    code, out, _ = invoke("signals", "run", "--as-of", day(DAYS - 1).isoformat(), "--db", db)
    assert code == 0 and "5 new" in out
    code, out, _ = invoke("signals", "list", "--json", "--db", db)
    found = json.loads(out)
    assert code == 0 and len(found) == 5
    for s in found:
        assert {"id", "type", "substance", "severity", "state", "first_seen", "evidence"} <= set(s)
    assert {s["substance"] for s in found if s["type"] == "spike"} == {"3-CMC"}


def test_show_ack_dismiss(db: str) -> None:
    invoke("signals", "run", "--as-of", day(DAYS - 1).isoformat(), "--db", db)
    first = json.loads(invoke("signals", "list", "--json", "--db", db)[1])[0]
    code, out, _ = invoke("signals", "show", first["id"][:8], "--db", db)
    assert code == 0 and json.loads(out)["id"] == first["id"]
    assert invoke("signals", "ack", first["id"], "--db", db)[0] == 0
    assert json.loads(invoke("signals", "show", first["id"], "--db", db)[1])["state"] == "acknowledged"
    assert invoke("signals", "dismiss", first["id"], "--reason", "a test", "--db", db)[0] == 0
    assert json.loads(invoke("signals", "show", first["id"], "--db", db)[1])["state"] == "dismissed"
    code, _, err = invoke("signals", "ack", "ffffffffffff", "--db", db)
    assert code == 2 and "no signal with id" in err


def test_explain_prints_the_series_the_test_and_why(db: str) -> None:
    invoke("signals", "run", "--as-of", day(DAYS - 1).isoformat(), "--db", db)
    found = json.loads(invoke("signals", "list", "--json", "--db", db)[1])
    for signal in found:
        code, out, _ = invoke("signals", "explain", signal["id"], "--db", db)
        assert code == 0 and "why it fired: " in out and f"why {signal['severity']}: " in out, out
        assert "(not recorded" not in out
    shift = next(s for s in found if s["type"] == "price_shift")
    out = invoke("signals", "explain", shift["id"], "--db", db)[1]
    assert "stratified rank" in out and "listings on M2 in both windows" in out and "m2-300" in out
    spike = next(s for s in found if s["type"] == "spike")
    assert "listings M1: " in invoke("signals", "explain", spike["id"], "--db", db)[1]


def test_run_with_a_bad_config_names_file_line_and_field(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "signals.yml"
    bad.write_text("adverse_surge:\n  alpha: 2\n")
    code, _, err = invoke("signals", "run", "--config", str(bad), "--db", db)
    assert code == 2 and f"{bad}:2: adverse_surge.alpha: Input should be less than or equal to 0.5" in err


def test_run_rejects_a_bad_date(db: str) -> None:
    code, _, err = invoke("signals", "run", "--as-of", "yesterday", "--db", db)
    assert code == 2 and "YYYY-MM-DD" in err


# -- backtest ----------------------------------------------------------------------------------------

SERIES = [0, 1, 0, 2, 1, 0, 1, 1, 0, 2, 1, 9, 1, 0]


def write_series(path: Path, rows: list[tuple[object, object]]) -> Path:
    path.write_text("t,observed\n" + "".join(f"{t},{o}\n" for t, o in rows), encoding="utf-8")
    return path


def test_backtest_writes_every_t_with_empty_cells_where_not_computable(tmp_path: Path) -> None:
    series = write_series(tmp_path / "s.csv", list(enumerate(SERIES, start=1)))
    out = tmp_path / "out.csv"
    code, _, err = invoke("signals", "backtest", "--series", str(series), "--method", "ears-c1",
                          "--param", "min_sigma=0.5", "--out", str(out))  # fmt: skip
    assert code == 0, err
    rows = list(csv.DictReader(out.read_text().splitlines()))
    assert [r["t"] for r in rows] == [str(t) for t in range(1, len(SERIES) + 1)]
    assert list(rows[0]) == ["t", "observed", "upperbound", "alarm"]
    expected = get_detector("ears-c1", min_sigma=0.5)(SERIES)
    for row, bound, alarm, computed in zip(rows, expected.upperbound, expected.alarm, expected.computed, strict=True):
        if computed:
            assert float(row["upperbound"]) == pytest.approx(float(bound), abs=1e-9)
            assert row["alarm"] == ("TRUE" if alarm else "FALSE")
        else:
            assert row["upperbound"] == "" and row["alarm"] == ""
    assert [r["t"] for r in rows if r["alarm"] == "TRUE"] == ["12"]


def test_backtest_weekly_farrington_with_freq(tmp_path: Path) -> None:
    rows = [(f"{2020 + i // 52}-W{i % 52 + 1}", 3) for i in range(10)]
    series = write_series(tmp_path / "s.csv", [(i, o) for i, (_, o) in enumerate(rows)])
    out = tmp_path / "out.csv"
    code, _, err = invoke("signals", "backtest", "--series", str(series), "--method", "farrington-noufaily",
                          "--freq", "52", "--out", str(out))  # fmt: skip
    assert code == 0 and "no time point could be evaluated" in err  # too short: a message, no alarm
    assert all(r["alarm"] == "" for r in csv.DictReader(out.read_text().splitlines()))


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([(1, 0), (2, 1), (4, 0)], "t jumps from 2 to 4"),
        ([(1, 0), (2, -1)], "expected a whole count >= 0"),
        ([(1, 0), (2, "many")], "is not a number"),
        ([(1, 0), (2, "")], "observed is empty"),
        ([(1, 0), (2, 1.5)], "expected a whole count >= 0"),
        ([("2026-01-01", 0), ("2026-01-03", 1), ("2026-01-04", 1)], "expected 1 or 7"),
        ([("monday", 0)], "neither a whole number nor a date"),
    ],
)
def test_backtest_bad_input_is_a_clear_message_and_no_output(tmp_path: Path, rows: list[tuple[object, object]],
                                                             message: str) -> None:  # fmt: skip
    series = write_series(tmp_path / "s.csv", rows)
    out = tmp_path / "out.csv"
    code, _, err = invoke("signals", "backtest", "--series", str(series), "--method", "ears-c2", "--out", str(out))
    assert code == 2 and message in err and "Traceback" not in err
    assert not out.exists()


def test_backtest_unknown_method_and_parameter(tmp_path: Path) -> None:
    series = write_series(tmp_path / "s.csv", list(enumerate(SERIES)))
    out = str(tmp_path / "out.csv")
    code, _, err = invoke("signals", "backtest", "--series", str(series), "--method", "nope", "--out", out)
    assert code == 2 and "expected one of" in err
    code, _, err = invoke("signals", "backtest", "--series", str(series), "--method", "ears-c3", "--param", "z=1",
                          "--out", out)  # fmt: skip
    assert code == 2 and "KEY=VALUE" in err


def test_backtest_header_must_name_t_and_observed(tmp_path: Path) -> None:
    bad = tmp_path / "s.csv"
    bad.write_text("week,count\n1,2\n", encoding="utf-8")
    code, _, err = invoke("signals", "backtest", "--series", str(bad), "--method", "ears-c1", "--out",
                          str(tmp_path / "o.csv"))  # fmt: skip
    assert code == 2 and "t,observed" in err


def test_run_delivers_new_signals_when_a_config_is_set(db: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    config = tmp_path / "alerts.yml"
    config.write_text(f"min_severity: medium\news_export:\n  directory: {tmp_path / 'ews'}\n", encoding="utf-8")
    monkeypatch.setenv("NPSWATCH_ALERTS_CONFIG", str(config))
    code, out, _ = invoke("signals", "run", "--as-of", day(DAYS - 1).isoformat(), "--db", db)
    assert code == 0 and "ews_export 5" in out
    assert len(list((tmp_path / "ews").glob("*.json"))) == 5
    code, out, _ = invoke("signals", "run", "--as-of", day(DAYS - 1).isoformat(), "--db", db)
    assert code == 0 and "nothing to deliver" in out  # nothing new


def test_run_and_list_for_the_demo(db: str) -> None:
    from io import StringIO

    from rich.console import Console

    from signals.report import run_and_list

    buffer = StringIO()
    assert run_and_list(db, Console(file=buffer, width=200), day(DAYS - 1)) == 0
    text = buffer.getvalue()
    assert "5 new" in text and "3-CPMC" in text and "price_shift" in text
