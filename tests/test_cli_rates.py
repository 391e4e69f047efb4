"""`npswatch rates update` fetches the ECB's rates and daily crypto prices (from a local server standing in for
them) into the table crawls use."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from npswatch.cli import main
from tests.httpsite import Route, serve
from tests.nlp.test_rates_update import ecb_zip, market_chart


def test_rates_update_writes_the_table_crawls_then_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NPSWATCH_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("NPSWATCH_RATES_FILE", raising=False)
    routes = {"/eurofxref-hist.zip": Route(ecb_zip())}
    routes |= {
        f"/{coin}": Route(market_chart([100.0, 200.0])) for coin in ("bitcoin", "monero", "litecoin", "ethereum")
    }
    with serve(routes) as site:
        result = CliRunner().invoke(
            main,
            ["rates", "update", "--ecb-url", f"{site.url}/eurofxref-hist.zip", "--crypto-url", f"{site.url}/{{id}}"],
        )
    assert result.exit_code == 0, result.output
    assert f"wrote {tmp_path / 'rates.csv'}" in result.output and "ETH: 2 rows" in result.output
    from pipelines.enrich import rates_file

    assert rates_file() == tmp_path / "rates.csv"


def test_rates_update_offline_fails_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NPSWATCH_DATA_DIR", str(tmp_path))
    with serve({}) as site:
        result = CliRunner().invoke(main, ["rates", "update", "--ecb-url", f"{site.url}/none.zip"])
    assert result.exit_code == 2 and "could not update the rates" in result.output
    assert not (tmp_path / "rates.csv").exists()
