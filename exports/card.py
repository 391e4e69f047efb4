"""The dataset card (``README.md`` beside the data), in the sections of a Hugging Face dataset card.

The YAML header lets ``datasets`` and the Hub read the tables as configs (one per kind); the counts, sources, days
and languages come from what was written (``corpus.Tally`` and the manifest), never from the query alone.
"""

from __future__ import annotations

import json
from typing import Any

from exports.records import DESCRIPTIONS, SCHEMA, STRUCTS

_SIZES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"))


def dataset_card(manifest: dict[str, Any], tally: Any) -> str:
    return "\n".join([_header(manifest), *_body(manifest, tally)]) + "\n"


def _header(m: dict[str, Any]) -> str:
    size = next((label for bound, label in _SIZES if m["documents"] < bound), "1M<n<10M")
    configs = [
        f"  - config_name: {kind}\n    data_files:\n      - split: train\n        path: {path}"
        for kind, path in m["files"].items()
    ]
    languages = "".join(f"\n  - {lang}" for lang in m["by_language"] if lang and lang != "unknown") or " []"
    return (
        "---\n"
        f"pretty_name: npswatch pseudonymised corpus ({m['created'][:10]})\n"
        f"language:{languages}\n"
        "license: other\n"
        "license_name: npswatch-research-terms\n"
        f"size_categories:\n  - {size}\n"
        "task_categories:\n  - text-classification\n  - token-classification\n"
        "tags:\n  - drugs\n  - new-psychoactive-substances\n  - darknet-markets\n  - pseudonymised\n"
        f"configs:\n{chr(10).join(configs)}\n"
        "---\n"
    )


def _body(m: dict[str, Any], tally: Any) -> list[str]:
    empty = m["documents"] == 0
    kinds = ", ".join(f"{n} {kind}s" for kind, n in m["by_kind"].items())
    out = ["# npswatch pseudonymised corpus", "", "## Dataset Summary", ""]
    if empty:
        out += ["**This dataset is empty: the query matched no document.** The tables below exist, with their "
                "columns, and hold no rows.", ""]  # fmt: skip
    out += [
        f"Market listings, forum posts and vendor records that npswatch crawled, selected by the query below and "
        f"exported on {m['created'][:10]}: {m['documents']} documents ({kinds}). Vendors and forum users are "
        "replaced by keyed pseudonyms and contact details are removed from the text (see *Personal and Sensitive "
        "Information*). npswatch watches for new psychoactive substances for public-health early warning.",
        "",
        f"Query: `{json.dumps(m['query'], ensure_ascii=False)}`; price history per day: "
        f"{'included' if m['history'] else 'not included'}.",
        "",
        "## Dataset Structure",
        "",
        f"One table per kind, as {m['table_format']} (`data/`); every table is a config with one `train` split:",
        "",
        "```python",
        "from datasets import load_dataset",
        f'listings = load_dataset("{_loader(m["table_format"])}", data_files="{m["files"].get("listing", "...")}")',
        "```",
        "",
        "| table | rows | file |",
        "| --- | --- | --- |",
        *[f"| {kind} | {m['by_kind'][kind]} | `{path}` |" for kind, path in m["files"].items()],
        "",
        "### Data Fields",
        "",
        *_fields(m),
        "## Dataset Creation",
        "",
        "### Collection Process",
        "",
        "npswatch crawls market listings (onion services, through Tor) and forum threads with Scrapy, read-only: it "
        "never registers, posts, messages or buys; logins are made by a person. Every page is archived as WARC. "
        "Substances, offers (in EUR per gram), doses, routes and effects are extracted with spaCy and the npswatch "
        "lexicon; the extraction columns are machine output, not annotation.",
        "",
        "### Sources and Dates",
        "",
        f"Days covered: {m['first_day'] or '-'} to {m['last_day'] or '-'} (when documents were seen; posts also "
        "carry the day they were posted).",
        "",
        "| source | documents |",
        "| --- | --- |",
        *[f"| {source} | {n} |" for source, n in m["by_source"].items()],
        "",
        "## Languages",
        "",
        ", ".join(f"{lang or 'unknown'}: {n}" for lang, n in m["by_language"].items()) or "none (no text rows)",
        "",
        "Most frequent substances: "
        + (", ".join(f"{name} ({n})" for name, n in tally.substances.most_common(15)) or "none")
        + ".",
        "",
        *_privacy(m),
        "## Considerations for Using the Data",
        "",
        "### Known Biases and Limits",
        "",
        "- Only the sources npswatch was configured to crawl, on the days it crawled them: not a sample of all "
        "markets or forums; a site crawled more often weighs more in listing counts.",
        "- Listings are offers, not sales; feedback counts and ratings are what markets display, and can be faked.",
        "- Extraction is automatic: names of substances it does not know appear as `novel_substance` candidates or "
        "not at all; see docs/extraction-eval.md of npswatch for measured precision and recall.",
        "- Free text can still name people npswatch has never seen as a vendor or author, and quoted text can be "
        "searched for on the site it came from: read a sample before sharing further.",
        "",
        "## Licensing Information and Terms of Use",
        "",
        "For research on drug markets and public health only, under the terms agreed with the data holder. Do not "
        "try to re-identify people, contact vendors or users, or publish quotes long enough to be searched for. "
        "Do not redistribute without the data holder's consent. Crawled content belongs to its authors.",
        "",
    ]
    return out


def _loader(fmt: str) -> str:
    return {"jsonl": "json", "parquet": "parquet", "csv": "csv"}[fmt]


def _fields(m: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for kind in m["files"]:
        out += [f"`{kind}`:", "", "| column | type | what |", "| --- | --- | --- |"]
        out += [f"| `{name}` | {_type(t)} | {DESCRIPTIONS.get(name, '')} |" for name, t in SCHEMA[kind].items()]
        out.append("")
    structs = "; ".join(f"`{name}` = {{{', '.join(f'{k}: {t}' for k, t in fields.items())}}}"
                        for name, fields in STRUCTS.items())  # fmt: skip
    out += [f"Structs: {structs}.", ""]
    if m["table_format"] == "csv":
        out += ["In CSV, list and struct columns hold JSON text; an empty cell is a missing value.", ""]
    return out


def _type(t: str) -> str:
    return t.replace("<", "&lt;").replace(">", "&gt;")


def _privacy(m: dict[str, Any]) -> list[str]:
    p = m["pseudonyms"]
    replaced = ", ".join(f"{k} {n}" for k, n in p["replaced"].items()) or "nothing"
    out = [
        "## Personal and Sensitive Information",
        "",
        "The data are about people who sell or use drugs. What was done to protect them:",
        "",
        "- **Pseudonymised**: vendors (`vendor`, vendor `name`), forum authors (`author`) and PGP keys are keyed "
        f"pseudonyms (HMAC-SHA256 under a secret key, scope: {p['scope']}); names of known vendors and users and "
        "`@mentions` inside text are replaced by the same pseudonyms.",
        "- **Removed from text**: PGP blocks and fingerprints, crypto addresses (Bitcoin, Litecoin, Monero, "
        "Ethereum), phone numbers, e-mail addresses (also written as `name [at] host [dot] com` and the like), "
        "messenger handles (Telegram, Wickr, Session, Signal, Threema, Jabber/XMPP and others) and links.",
        "- **Not exported**: page URLs (only the site's `host`), the sites' listing, post and thread ids, stored "
        "document ids (plain hashes of those), vendor profile URLs, the hash of the raw text, the time of day of "
        "posts. `id` and `thread` are keyed ids: they join rows, a site cannot look them up.",
        f"- Replacements made: {replaced}.",
        f"- Key: identified as `{p['key_id']}` ({p['key_id_method']}); the same key gives the same pseudonyms in "
        "every export. The key itself is not in the export.",
        "",
    ]
    if m.get("evidence"):
        out += [
            "### Evidence package",
            "",
            f"`evidence.wacz` holds {m['evidence']['records']} WARC records ({m['evidence']['pages']} pages) "
            f"behind the exported rows (`warc_record_id`; {m['evidence']['missing']} named by rows were not found "
            "in the archive). **Vendor and user names, contacts and URLs inside the "
            "archived pages are NOT pseudonymised**: the pages are kept as the sites served them, as evidence. "
            "Share the package only with people entitled to see the original data, never with the corpus for "
            "researchers.",
            "",
        ]
    return out
