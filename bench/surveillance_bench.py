"""Benchmark of the count detectors of signals.detectors (issue 6, item 4).

Protocols:

- weekly: Noufaily et al. (2013), the 42 scenarios (7 parameter sets x trend x seasonality), 624 weeks, negative
  binomial counts, four outbreaks contaminating weeks 313-575, one current outbreak starting in weeks 576-624 with
  k in 1..10; size ~ Poisson(k * sd at start), each case in week start + floor(lognormal(0, 0.5)). Each replicate is
  two series, as in the shared R script: one without a current outbreak (false-positive rate) and one with it.
- daily (sparse): three years of days (3 x 364), mean 0.1, 0.3 or 1 count a day, day-of-week effect, mild annual
  seasonality, negative binomial (phi 1.5); three outbreaks contaminate days 400-1000, the current one starts in the
  last 84 days with size ~ Poisson(k * weekly sd), each case on day start + floor(7 * lognormal(0, 0.5)).

Metrics over the monitored weeks (576-624) or days (last 84):
FPR = alarms / monitored points of the outbreak-free series; POD = replicates with an alarm between the outbreak's
start and its last week; POD1 = alarm in the start week; sensitivity = alarmed outbreak weeks / outbreak weeks;
timeliness = (first alarm - start) / outbreak duration, 1 when missed (lower is better).

Also times every detector over 1,000 substances x 3 years of daily series.

Run: ``python bench/surveillance_bench.py`` (full: 42 x 100 weekly, 3 x 100 daily, 1,000 substances; a few minutes on
2 cores) or ``--quick`` (R's five mini-benchmark scenarios x 20, one daily scenario, 100 substances). Writes
bench/results/surveillance.json and docs/surveillance-benchmark.md (``--no-write`` to skip).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one BLAS thread per worker process

import argparse
import csv
import json
import platform
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from signals.detectors import AdverseSurge, Bayes, FarringtonFlexible, get_detector  # noqa: E402
from signals.detectors.farrington import PRESETS  # noqa: E402
from signals.detectors.registry import DEFAULT_SPIKE, DEFAULT_SPIKE_PARAMS  # noqa: E402

R_REFERENCE = ROOT / "tests" / "signals" / "reference"
OUT_JSON = ROOT / "bench" / "results" / "surveillance.json"
OUT_MD = ROOT / "docs" / "surveillance-benchmark.md"

# Noufaily et al. (2013) parameter sets 1..7 (as in the shared R script)
PARAMS = {
    "theta": [0.1, -2, 1.5, 0.5, 2.5, 3.75, 5],
    "beta": [0.0025, 0.005, 0.003, 0.002, 0.001, 0.001, 0.0001],
    "gamma1": [0.6, 0.1, 0.2, 0.5, 1, 0.1, 0.05],
    "gamma2": [0.6, 0.3, -0.4, 0.5, 0.1, -0.1, 0.01],
    "phi": [1.5, 2, 1, 5, 3, 1.1, 1.2],
}
R_MINI = {
    "ff_noufaily": "farrington-noufaily",
    "ff_original": "farrington-original",
    "ears_C1": "ears-c1",
    "ears_C3": "ears-c3",
}
FARRINGTON_ALPHAS = [0.05, 0.02, 0.01, 0.005, 0.002]
LOW_ALPHAS = [0.01, 0.005, 0.002]


@dataclass(frozen=True)
class Scenario:
    number: int
    set: int
    theta: float
    beta: float
    gamma1: float
    gamma2: float
    m: int
    phi: float


def scenarios() -> list[Scenario]:
    """The 42 scenarios, numbered as R's expand.grid(trend = 0:1, m = 0:2) within each set."""
    out = []
    for i in range(7):
        for j, (m, trend) in enumerate((m, t) for m in range(3) for t in range(2)):
            out.append(
                Scenario(
                    number=6 * i + j + 1,
                    set=i + 1,
                    theta=PARAMS["theta"][i],
                    beta=PARAMS["beta"][i] if trend else 0.0,
                    gamma1=PARAMS["gamma1"][i] if m else 0.0,
                    gamma2=PARAMS["gamma2"][i] if m else 0.0,
                    m=m,
                    phi=PARAMS["phi"][i],
                )
            )
    return out


def mean_curve(sc: Scenario, t: np.ndarray, period: float = 52.0) -> np.ndarray:
    eta = sc.theta + sc.beta * t
    for j in range(1, sc.m + 1):
        eta = eta + sc.gamma1 * np.cos(2 * np.pi * j * t / period) + sc.gamma2 * np.sin(2 * np.pi * j * t / period)
    return np.exp(eta)


def draw_counts(rng: np.random.Generator, mu: np.ndarray, phi: float, reps: int) -> np.ndarray:
    if phi == 1:
        return rng.poisson(mu, size=(reps, mu.size)).astype(np.float64)
    return rng.negative_binomial(mu / (phi - 1), 1 / phi, size=(reps, mu.size)).astype(np.float64)


def add_outbreak(
    rng: np.random.Generator, y: np.ndarray, start: int, k: float, sd: np.ndarray, spread: float
) -> np.ndarray:
    """Add an outbreak starting at 0-based index start; returns its cases per time point."""
    cases = np.zeros(y.size)
    size = rng.poisson(k * sd[start])
    if size:
        when = start + np.floor(spread * rng.lognormal(0.0, 0.5, size)).astype(int)
        np.add.at(cases, when[when < y.size], 1.0)
    y += cases
    return cases


def simulate(
    rng: np.random.Generator, mu: np.ndarray, sd: np.ndarray, phi: float, reps: int, design: dict[str, Any]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Series without and with a current outbreak, the outbreak cases and start (0-based) of each replicate."""
    y0 = draw_counts(rng, mu, phi, reps)
    y1 = draw_counts(rng, mu, phi, reps)
    cases = np.zeros_like(y1)
    starts = np.zeros(reps, dtype=int)
    lo, hi = design["history"]
    for r in range(reps):
        for y in (y0[r], y1[r]):
            for s in rng.choice(np.arange(lo, hi), design["n_history"], replace=False):
                add_outbreak(rng, y, int(s), float(rng.choice(design["k_history"])), sd, design["spread"])
        starts[r] = rng.integers(design["monitor"][0], design["monitor"][1])
        cases[r] = add_outbreak(rng, y1[r], int(starts[r]), float(rng.integers(1, 11)), sd, design["spread"])
    return y0, y1, cases, starts


def metrics(a0: np.ndarray, a1: np.ndarray, cases: np.ndarray, starts: np.ndarray, first: int) -> dict[str, Any]:
    """a0, a1: alarms over the monitored points (reps x T); cases over the whole series; first = first monitored."""
    fpr = float(a0.mean())
    pod, pod1, sens, timely = [], [], [], []
    for r in range(a1.shape[0]):
        ob = np.nonzero(cases[r, first:] > 0)[0]
        if ob.size == 0:
            continue
        s, e = starts[r] - first, ob.max()
        win = a1[r, s : e + 1]
        pod.append(bool(win.any()))
        pod1.append(bool(a1[r, s]))
        sens.append(float(a1[r, ob].mean()))
        timely.append(float(np.argmax(win)) / (e - s + 1) if win.any() else 1.0)
    nan = float("nan")
    return {
        "fpr": fpr,
        "pod": float(np.mean(pod)) if pod else nan,
        "pod1": float(np.mean(pod1)) if pod1 else nan,
        "sensitivity": float(np.mean(sens)) if sens else nan,
        "timeliness": float(np.mean(timely)) if timely else nan,
        "outbreaks": len(pod),
    }


def detector_runs(kind: str) -> list[tuple[str, Callable[[np.ndarray, np.ndarray], dict[str, np.ndarray]]]]:
    """(label, run) pairs; run(y, idx) returns alarms at idx for one or several labels."""
    runs: list[tuple[str, Callable[[np.ndarray, np.ndarray], dict[str, np.ndarray]]]] = []

    def simple(label: str, det: Any) -> None:
        runs.append((label, lambda y, idx: {label: det(y, times=idx).alarm[:, idx]}))

    def farrington(name: str, **kw: Any) -> None:
        det = FarringtonFlexible(name, PRESETS[name], **kw)
        tag = "" if kind == "weekly" else "-daily"

        def run(y: np.ndarray, idx: np.ndarray) -> dict[str, np.ndarray]:
            _, levels = det.alarms_at_levels(y, FARRINGTON_ALPHAS, times=idx)
            return {f"{name}{tag}@{a:g}": levels[a]["alarm"] for a in FARRINGTON_ALPHAS}

        runs.append((name, run))

    if kind == "weekly":
        for name in ("ears-c1", "ears-c2", "ears-c3"):
            simple(name, get_detector(name))
        for name in PRESETS:
            farrington(name)
        simple("bayes", Bayes())
        simple("bayes-2", Bayes("bayes-2", b=1))
        simple("bayes-3", Bayes("bayes-3", w=4, b=2, act_y=False))
        for a in LOW_ALPHAS:
            simple(f"bayes-2@{a:g}", Bayes("bayes-2", b=1, alpha=a))
            simple(f"bayes-3@{a:g}", Bayes("bayes-3", w=4, b=2, act_y=False, alpha=a))
    else:
        for name in ("ears-c1", "ears-c2", "ears-c3"):
            simple(name, get_detector(name))
            simple(f"{name}@ms0.5", get_detector(name, min_sigma=0.5))
        simple("bayes", Bayes(period=364))
        simple("bayes-28d-gap2", Bayes("bayes-28d-gap2", w=28, gap=2, period=364))
        for a in LOW_ALPHAS:
            simple(f"bayes-28d-gap2@{a:g}", Bayes("bayes-28d-gap2", w=28, gap=2, period=364, alpha=a))
        farrington("farrington-original", period=364, b=2)
        farrington("farrington-noufaily", period=364, b=2)
    return runs


def run_scenario(task: dict[str, Any]) -> dict[str, Any]:
    """Simulate one scenario and score every detector (runs in a worker process)."""
    sc, kind, reps, seed = Scenario(**task["scenario"]), task["kind"], task["reps"], task["seed"]
    rng = np.random.default_rng(seed)
    if kind == "weekly":
        n, first = 624, 575
        t = np.arange(1, n + 1, dtype=float)
        mu = mean_curve(sc, t)
        design = {
            "history": (312, 575),
            "n_history": 4,
            "k_history": [2, 3, 5, 10],
            "monitor": (575, 624),
            "spread": 1.0,
        }
        sd = np.sqrt(sc.phi * mu)
    else:
        n, first = 3 * 364, 3 * 364 - 84
        t = np.arange(1, n + 1, dtype=float)
        dow = np.array([1.3, 1.2, 1.1, 1.0, 1.0, 0.7, 0.7]) / np.mean([1.3, 1.2, 1.1, 1.0, 1.0, 0.7, 0.7])
        mu = mean_curve(sc, t, period=364.0) * dow[(np.arange(n) % 7)]
        design = {
            "history": (400, 1000),
            "n_history": 3,
            "k_history": [2, 3, 5, 10],
            "monitor": (first, n),
            "spread": 7.0,
        }
        sd = np.sqrt(sc.phi * 7 * mu)  # a week's worth of variability, as the weekly protocol
    y0, y1, cases, starts = simulate(rng, mu, sd, sc.phi, reps, design)
    idx = np.arange(first, n)
    y = np.vstack([y0, y1])
    out: dict[str, Any] = {"scenario": task["scenario"], "kind": kind, "reps": reps, "detectors": {}, "seconds": {}}
    for label, run in detector_runs(kind):
        t0 = time.perf_counter()
        for name, alarms in run(y, idx).items():
            out["detectors"][name] = metrics(alarms[:reps], alarms[reps:], cases, starts, first)
        out["seconds"][label] = time.perf_counter() - t0
    return out


def daily_scenarios() -> list[Scenario]:
    return [
        Scenario(number=100 + i, set=0, theta=float(np.log(mean)), beta=0.0, gamma1=0.2, gamma2=0.2, m=1, phi=1.5)
        for i, mean in enumerate((0.1, 0.3, 1.0), start=1)
    ]


def aggregate(results: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Mean of every metric over scenarios (each scenario weighs the same, as Noufaily et al.)."""
    names = results[0]["detectors"].keys()
    keys = ("fpr", "pod", "pod1", "sensitivity", "timeliness")
    return {name: {k: float(np.nanmean([r["detectors"][name][k] for r in results])) for k in keys} for name in names}


def timing(substances: int, seed: int = 7) -> dict[str, Any]:
    """Seconds per detector over `substances` daily series of 3 x 364 days (mean 0.3 a day)."""
    rng = np.random.default_rng(seed)
    n = 3 * 364
    y = rng.negative_binomial(0.6, 2 / 3, size=(substances, n)).astype(np.float64)  # mean 0.3, phi 1.5
    daily = {"period": 364, "b": 2}
    dets: dict[str, Any] = {name: get_detector(name) for name in ("ears-c1", "ears-c2", "ears-c3")}
    dets.update(
        {
            "bayes": get_detector("bayes", period=364),
            "bayes-2": get_detector("bayes-2", period=364),
            "bayes-3": get_detector("bayes-3", period=364),
        }
    )
    dets.update({name: get_detector(name, **daily) for name in PRESETS})
    out: dict[str, Any] = {"substances": substances, "days": n, "detectors": {}}
    for name, det in dets.items():
        t0 = time.perf_counter()
        det(y, times=[n - 1])
        latest = time.perf_counter() - t0
        full_days = n - det.min_history
        if name == "farrington-noufaily":  # full backtest measured on 28 days and scaled
            t0 = time.perf_counter()
            det(y, times=np.arange(n - 28, n))
            full, how = (time.perf_counter() - t0) * full_days / 28, "extrapolated from the last 28 days"
        else:
            t0 = time.perf_counter()
            det(y)
            full, how = time.perf_counter() - t0, "measured"
        out["detectors"][name] = {"latest_day_s": latest, "all_days_s": full, "days_evaluated": full_days, "how": how}
    mentions = y + rng.poisson(2.0, size=y.shape)
    adverse = rng.binomial(mentions.astype(np.int64), 0.05).astype(np.float64)
    surge = AdverseSurge()
    t0 = time.perf_counter()
    surge(adverse, mentions)
    full = time.perf_counter() - t0
    out["detectors"]["adverse-surge"] = {
        "latest_day_s": full,
        "all_days_s": full,
        "how": "measured (always all days)",
        "days_evaluated": n - surge.min_history,
    }
    return out


def r_mini_reference() -> list[dict[str, Any]]:
    with (R_REFERENCE / "mini_benchmark_summary.csv").open(newline="", encoding="utf-8") as fh:
        return [{k: (v if k == "detector" else float(v)) for k, v in row.items()} for row in csv.DictReader(fh)]


def check_scenarios_match_r() -> bool:
    with (R_REFERENCE / "noufaily_42_scenarios.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    ours = scenarios()
    return all(
        abs(float(r[k]) - getattr(s, k)) < 1e-12 and int(r["scenario"]) == s.number
        for r, s in zip(rows, ours, strict=True)
        for k in ("theta", "beta", "gamma1", "gamma2", "phi")
    )


R_SETTINGS = [
    "ears-c1",
    "ears-c2",
    "ears-c3",
    "farrington-default@0.05",
    "farrington-original@0.05",
    "farrington-noufaily@0.05",
    "farrington-default@0.01",
    "farrington-original@0.01",
    "farrington-noufaily@0.01",
    "bayes",
    "bayes-2",
    "bayes-3",
]


def default_check(overall: dict[str, dict[str, float]]) -> dict[str, Any]:
    """Does the default detector, at FPR <= 1 %, detect at least as often as the best R-setting detector?"""
    label = f"{DEFAULT_SPIKE}@{DEFAULT_SPIKE_PARAMS.get('alpha', PRESETS[DEFAULT_SPIKE].alpha):g}"
    ours = overall[label]
    eligible = {k: v for k, v in overall.items() if k in R_SETTINGS and v["fpr"] <= 0.01}
    best_low = max(eligible, key=lambda k: eligible[k]["pod"]) if eligible else None
    best_any = max((k for k in overall if k in R_SETTINGS), key=lambda k: overall[k]["pod"])
    return {
        "default": label,
        "default_fpr": ours["fpr"],
        "default_pod": ours["pod"],
        "best_r_at_fpr_1pct": best_low,
        "best_r_at_fpr_1pct_pod": eligible[best_low]["pod"] if best_low else None,
        "best_r_any_fpr": best_any,
        "best_r_any_fpr_fpr": overall[best_any]["fpr"],
        "best_r_any_fpr_pod": overall[best_any]["pod"],
        "aim_met": bool(ours["fpr"] <= 0.01 and (best_low is None or ours["pod"] >= eligible[best_low]["pod"])),
    }


def run_all(tasks: list[dict[str, Any]], workers: int) -> list[dict[str, Any]]:
    if workers <= 1:
        return [run_scenario(t) for t in tasks]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run_scenario, tasks))


def table(rows: list[list[str]], head: list[str]) -> str:
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def pct(x: float | None) -> str:
    return "n/a" if x is None or x != x else f"{100 * x:.1f}"


def markdown(report: dict[str, Any]) -> str:
    meta, check = report["meta"], report["default_check"]
    out = [
        "# Surveillance detectors: benchmark",
        "",
        f"Generated by `{meta['command']}` on {meta['date']} ({meta['machine']}, {meta['workers']} workers, "
        f"{meta['seconds']:.0f} s). Do not edit by hand; rerun the command (`make bench`).",
        "",
        "Protocol and metric definitions: the docstring of `bench/surveillance_bench.py`. FPR, POD, POD1 and "
        "sensitivity are in %, means over scenarios; timeliness is the fraction of the outbreak elapsed at the first "
        "alarm (1 = missed; lower is better). `@a` is the level alpha; names without it use R's defaults.",
        "",
        "## Default spike detector",
        "",
        f"Default: **{check['default']}**: FPR {pct(check['default_fpr'])} %, POD {pct(check['default_pod'])} %. "
        f"Best detector at R settings (R defaults, and alpha 0.01 as Bedubourg & Le Strat 2017) with FPR <= 1 %: "
        f"{check['best_r_at_fpr_1pct']} (POD {pct(check['best_r_at_fpr_1pct_pod'])} %). Aim met: "
        f"**{'yes' if check['aim_met'] else 'no'}**. Best R-setting detector at any FPR: {check['best_r_any_fpr']} "
        f"(FPR {pct(check['best_r_any_fpr_fpr'])} %, POD {pct(check['best_r_any_fpr_pod'])} %).",
        "",
    ]
    for kind, title in (("weekly", "Weekly: Noufaily 42 scenarios"), ("daily", "Sparse daily variant")):
        sec = report[kind]
        out += [f"## {title} ({sec['scenarios']} scenarios x {sec['reps']} replicates)", ""]
        rows = [
            [name, pct(m["fpr"]), pct(m["pod"]), pct(m["pod1"]), pct(m["sensitivity"]), f"{m['timeliness']:.2f}"]
            for name, m in sorted(sec["overall"].items(), key=lambda kv: kv[1]["fpr"])
        ]
        out += [table(rows, ["detector", "FPR", "POD", "POD1", "sensitivity", "timeliness"]), ""]
    out += [
        "## Next to R (shared mini benchmark: scenarios 5, 9, 17, 29, 41)",
        "",
        "R's columns come from `tests/signals/reference/mini_benchmark_summary.csv` (R surveillance 1.20.3, 20 "
        "replicates, R's random draws); ours from this run (same protocol, our draws, more replicates). The "
        "detectors themselves are parity-tested against R on a fixed series (`tests/signals/test_parity.py`), so "
        "differences here are sampling noise: with 20 replicates a POD has a standard error of about 10 points.",
        "",
    ]
    rows = []
    by_sc = {r["scenario"]["number"]: r for r in report["weekly"]["per_scenario"]}
    for ref in report["r_mini"]:
        ours = by_sc.get(int(ref["scenario"]))
        name = R_MINI[str(ref["detector"])]
        label = name if name.startswith("ears") else f"{name}@0.05"
        if ours is None:
            continue
        m = ours["detectors"][label]
        rows.append(
            [
                str(int(ref["scenario"])),
                name,
                pct(ref["fpr"]),
                pct(m["fpr"]),
                pct(ref["pod"]),
                pct(m["pod"]),
                pct(ref["sens"]),
                pct(m["sensitivity"]),
            ]
        )
    out += [table(rows, ["scenario", "detector", "FPR R", "FPR ours", "POD R", "POD ours", "sens R", "sens ours"]), ""]
    tim = report["timing"]
    out += [f"## Time over {tim['substances']} substances x {tim['days']} days", ""]
    rows = [
        [k, f"{v['latest_day_s']:.3f}", f"{v['all_days_s']:.1f}", str(v["days_evaluated"]), v["how"]]
        for k, v in tim["detectors"].items()
    ]
    out += [
        "Farrington runs with period 364 and b 2 on these series (three years allow two years back).",
        "",
        table(rows, ["detector", "latest day (s)", "all days (s)", "days evaluated", "all days"]),
        "",
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="R's 5 mini scenarios x 20, 1 daily scenario, 100 series")
    parser.add_argument("--reps", type=int, default=None, help="replicates per scenario (default 100, quick 20)")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1), help="processes (default 2)")
    parser.add_argument("--seed", type=int, default=20240601, help="base random seed (default 20240601)")
    parser.add_argument("--no-write", action="store_true", help="print the summary, write no files")
    args = parser.parse_args(argv)
    t_start = time.perf_counter()
    reps = args.reps or (20 if args.quick else 100)
    weekly = [s for s in scenarios() if not args.quick or s.number in (5, 9, 17, 29, 41)]
    daily = daily_scenarios()[1:2] if args.quick else daily_scenarios()
    tasks = [{"scenario": vars(s), "kind": "weekly", "reps": reps, "seed": args.seed + s.number} for s in weekly]
    tasks += [{"scenario": vars(s), "kind": "daily", "reps": reps, "seed": args.seed + s.number} for s in daily]
    tasks.sort(key=lambda t: t["kind"] == "weekly")  # long daily tasks first
    results = run_all(tasks, args.workers)
    res_w = sorted((r for r in results if r["kind"] == "weekly"), key=lambda r: r["scenario"]["number"])
    res_d = [r for r in results if r["kind"] == "daily"]
    overall_w = aggregate(res_w)
    report: dict[str, Any] = {
        "meta": {},
        "default_check": default_check(overall_w),
        "weekly": {"scenarios": len(res_w), "reps": reps, "overall": overall_w, "per_scenario": res_w},
        "daily": {"scenarios": len(res_d), "reps": reps, "overall": aggregate(res_d), "per_scenario": res_d},
        "r_mini": r_mini_reference(),
        "timing": timing(100 if args.quick else 1000),
    }
    report["meta"] = {
        "command": "python bench/surveillance_bench.py" + (" --quick" if args.quick else ""),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cpus, Python {platform.python_version()}",
        "workers": args.workers,
        "seed": args.seed,
        "scenarios_match_r_table": check_scenarios_match_r(),
        "seconds": time.perf_counter() - t_start,
    }
    md = markdown(report)
    if args.no_write:
        print(md)
    else:
        OUT_JSON.parent.mkdir(parents=True, exist_ok=True)
        OUT_JSON.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        OUT_MD.write_text(md + "\n", encoding="utf-8")
        print(md)
        print(f"\nwrote {OUT_JSON.relative_to(ROOT)} and {OUT_MD.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
