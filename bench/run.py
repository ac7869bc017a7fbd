"""The benchmark: `python bench/run.py` (needs the `bench` extra: numpy, simpleeval, zen-engine).

Prints, in one run on one machine:

- load and compile times of the SYNTHETIC bench ruleset (bench/synthetic.py, the size of Vĩnh
  Long 1877 sở: 8/34/99) and of every shipped ruleset: YAML loading alone (C and pure-Python
  composer), compile, cold load (no cache) and warm load (from the compiled-ruleset cache);
- units per second for 1,000, 10,000 and 100,000 seeded synthetic units: the batch path
  (`Ruleset.evaluate_many` on plain columns) and the exact path with full explanations
  (`Ruleset.evaluate` per unit; `--exact-max` caps its sizes, default 10,000). The exact path
  records what every explanation needs and makes the records on request; the "+ records"
  column also asks every node of every unit for its record;
- the same rules evaluated naively with simpleeval (each formula parsed and evaluated for each
  unit) and with zen-engine's `evaluate_batch` on an equivalent decision graph, as ratios;
- peak memory of the batch path for 100,000 units;
- Monte-Carlo sensitivity: 10,000 replicates × 30 units.

Timings are wall-clock, best of `--repeat` runs; the machine's load is printed with them.
This is a measurement script, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from synthetic import BenchRuleset, bench_ruleset, unit_columns, unit_facts  # noqa: E402

import parindex_rules as pr  # noqa: E402
from parindex_rules.batch.facts import as_units  # noqa: E402
from parindex_rules.compile.compiler import compile_document  # noqa: E402
from parindex_rules.loader import yaml as yaml_loader  # noqa: E402

FIGURES: dict[str, Any] = {}


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


# -- loading ---------------------------------------------------------------------------------


def loading(files: list[tuple[str, Path]], repeat: int) -> None:
    print("\n## Load and compile (best of", repeat, "runs)")
    print(
        f"{'ruleset':34} {'YAML (C)':>11} {'YAML (pure)':>11} {'compile':>11} "
        f"{'cold load':>11} {'warm load':>11}"
    )
    saved_env = {k: os.environ.get(k) for k in ("PARINDEX_CACHE_DIR", "PARINDEX_NO_CACHE")}
    with tempfile.TemporaryDirectory() as folder:
        for label, path in files:
            text = path.read_text(encoding="utf-8")
            c_parser = yaml_loader._CParser
            fast = best(lambda t=text, p=path: yaml_loader.load_yaml_text(t, str(p)), repeat)
            yaml_loader._CParser = None
            pure = best(lambda t=text, p=path: yaml_loader.load_yaml_text(t, str(p)), repeat)
            yaml_loader._CParser = c_parser
            loaded = yaml_loader.load_yaml_text(text, str(path))
            compile_time = best(lambda d=loaded: compile_document(d), repeat)
            os.environ["PARINDEX_NO_CACHE"] = "1"
            cold = best(lambda p=path: pr.load(p), repeat)
            os.environ.pop("PARINDEX_NO_CACHE")
            os.environ["PARINDEX_CACHE_DIR"] = folder
            pr.load(path)  # fills the cache
            warm = best(lambda p=path: pr.load(p), repeat)
            print(
                f"{label:34} {ms(fast):>11} {ms(pure):>11} {ms(compile_time):>11} "
                f"{ms(cold):>11} {ms(warm):>11}"
            )
            FIGURES.setdefault("loading", {})[label] = {
                "yaml_c_ms": fast * 1000,
                "yaml_pure_ms": pure * 1000,
                "compile_ms": compile_time * 1000,
                "cold_ms": cold * 1000,
                "warm_ms": warm * 1000,
            }
    for key, value in saved_env.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


# -- throughput ------------------------------------------------------------------------------


def throughput(
    bench: BenchRuleset, ruleset: pr.Ruleset, sizes: list[int], exact_max: int, repeat: int
) -> dict[int, float]:
    print("\n## Units per second (best of", repeat, "runs for the batch path)")
    print(
        f"{'units':>8} {'batch':>12} {'units/s':>12} {'exact+explain':>14} {'units/s':>10}"
        f" {'+ records':>10} {'handed to exact':>16}"
    )
    batch_times = {}
    for n in sizes:
        columns = unit_columns(bench, n, seed=n)
        result = ruleset.evaluate_many(columns)
        batch = best(lambda c=columns: ruleset.evaluate_many(c), repeat)
        batch_times[n] = batch
        exact_text = "—"
        exact_rate = "—"
        records_rate = "—"
        if n <= exact_max:
            units = as_units(unit_facts(bench, n, seed=n))
            start = time.perf_counter()
            for unit in units:
                ruleset.evaluate(unit)
            exact = time.perf_counter() - start
            exact_text = f"{exact:10.2f} s"
            exact_rate = f"{n / exact:10.0f}"
            FIGURES.setdefault("exact", {})[n] = n / exact
            start = time.perf_counter()
            for unit in units:
                for node in ruleset.evaluate(unit).nodes.values():
                    node.explain()
            records = time.perf_counter() - start
            records_rate = f"{n / records:10.0f}"
            FIGURES.setdefault("exact_records", {})[n] = n / records
        print(
            f"{n:8} {batch:10.3f} s {n / batch:12.0f} {exact_text:>14} {exact_rate:>10}"
            f" {records_rate:>10} {int(result.exact.sum()):16}"
        )
        FIGURES.setdefault("batch", {})[n] = {"seconds": batch, "units_per_s": n / batch}
    facts = unit_facts(bench, 10_000, seed=1)
    start = time.perf_counter()
    ruleset.evaluate_many(facts)
    took = time.perf_counter() - start
    print(
        f"batch from 10,000 facts mappings (validation + picking per unit included): "
        f"{took:.2f} s, {10_000 / took:.0f} units/s"
    )
    FIGURES["batch_from_facts_units_per_s"] = 10_000 / took
    return batch_times


def memory(bench: BenchRuleset, ruleset: pr.Ruleset, n: int) -> None:
    columns = unit_columns(bench, n, seed=5)
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    result = ruleset.evaluate_many(columns)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    size = result.status.nbytes + result.score.nbytes + result.index.nbytes
    size += sum(row.nbytes for row in result.max_rows.values()) + result.max_common.nbytes
    print(
        f"\n## Peak memory, batch path, {n:,} units: {peak / 2**20:.0f} MiB traced "
        f"(the result itself: {size / 2**20:.0f} MiB for {len(result.node_ids)} nodes)"
    )
    FIGURES["peak_memory_mib"] = peak / 2**20
    FIGURES["result_mib"] = size / 2**20


# -- baselines -------------------------------------------------------------------------------


def _rule_expression(leaf: Any, places: dict[str, str]) -> str:
    """The leaf's rule as one expression over plain names (simpleeval / ZEN both read it)."""
    m = str(leaf.max)
    h = str(leaf.max / 2)
    if leaf.origin == "survey":
        v = places[leaf.id]
        return f"{v} / 100 * {m}" if leaf.shape == "sipas" else v
    if leaf.shape == "choice":
        v = places[leaf.id]
        return f"({m} if {v} == 'kip_thoi' else ({h} if {v} == 'khong_kip_thoi' else 0))"
    if leaf.shape == "percent_bands":
        x = places[leaf.inputs[0]]
        return f"({m} if {x} > 90 else ({h} if {x} >= 70 else 0))"
    if leaf.shape == "ratio":
        a, b = places[leaf.inputs[0]], places[leaf.inputs[1]]
        return f"({m} if {b} == 0 else {a} / {b} * {m})"
    if leaf.shape == "count_steps":
        x = places[leaf.inputs[0]]
        q = leaf.max / 4
        return (
            f"({m} if {x} >= 4 else ({q * 3} if {x} == 3 else ({q * 2} if {x} == 2 else "
            f"({q} if {x} == 1 else 0))))"
        )
    if leaf.shape == "points":
        return places[leaf.id]
    if leaf.shape == "boolean":
        return f"({m} if {places[leaf.id]} else 0)"
    c1, c2 = places[leaf.id + "#1"], places[leaf.id + "#2"]
    return f"(({h} if {c1} else 0) + ({h} if {c2} else 0))"


def _names(bench: BenchRuleset) -> dict[str, str]:
    names: dict[str, str] = {}
    for leaf in bench.leaves:
        key = "v_" + leaf.id.replace(".", "_")
        names[leaf.id] = key
        names[leaf.id + "#1"] = key + "_1"
        names[leaf.id + "#2"] = key + "_2"
        for name in leaf.inputs:
            names[name] = name
    return names


def _plain_rows(bench: BenchRuleset, n: int) -> list[dict[str, Any]]:
    columns = unit_columns(bench, n, seed=n)
    names = _names(bench)
    rows = []
    for i in range(n):
        row: dict[str, Any] = {}
        for leaf in bench.leaves:
            if leaf.inputs:
                for name in leaf.inputs:
                    row[name] = columns[name][i].item()
            elif leaf.shape == "checklist":
                met = columns[leaf.id][i]
                row[names[leaf.id + "#1"]] = "co_ke_hoach" in met
                row[names[leaf.id + "#2"]] = "co_bao_cao" in met
            else:
                value = columns[leaf.id][i]
                row[names[leaf.id]] = value.item() if hasattr(value, "item") else value
        rows.append(row)
    return rows


def simpleeval_baseline(bench: BenchRuleset, n: int) -> float:
    """Naive: for each unit, parse and evaluate each leaf's formula (floats), then add up."""
    from simpleeval import simple_eval

    names = _names(bench)
    expressions = [(leaf, _rule_expression(leaf, names)) for leaf in bench.leaves]
    rows = _plain_rows(bench, n)
    start = time.perf_counter()
    for row in rows:
        total = 0.0
        for _leaf, expression in expressions:
            total += simple_eval(expression, names=row)
        row["__total"] = total
    return time.perf_counter() - start


def zen_baseline(bench: BenchRuleset, n: int) -> float:
    """zen-engine: one decision graph (leaf scores, then field sums and the total), all units
    submitted through `evaluate_batch`."""
    import zen

    names = _names(bench)
    leaf_expressions = []
    for leaf in bench.leaves:
        expression = _rule_expression(leaf, names)
        expression = _to_zen(expression)
        leaf_expressions.append(
            {
                "id": f"s{len(leaf_expressions)}",
                "key": "s_" + leaf.id.replace(".", "_"),
                "value": expression,
            }
        )
    fields: dict[str, list[str]] = {}
    for leaf in bench.leaves:
        fields.setdefault(leaf.id.split(".")[0], []).append("s_" + leaf.id.replace(".", "_"))
    sums = [
        {"id": f"f{f}", "key": f"field_{f}", "value": " + ".join(keys)}
        for f, keys in fields.items()
    ]
    sums.append(
        {"id": "t", "key": "total", "value": " + ".join(e["key"] for e in leaf_expressions)}
    )
    graph = {
        "nodes": [
            {
                "id": "in",
                "type": "inputNode",
                "name": "in",
                "position": {"x": 0, "y": 0},
                "content": {},
            },
            {
                "id": "leaves",
                "type": "expressionNode",
                "name": "leaves",
                "position": {"x": 1, "y": 0},
                "content": {"expressions": leaf_expressions},
            },
            {
                "id": "sums",
                "type": "expressionNode",
                "name": "sums",
                "position": {"x": 2, "y": 0},
                "content": {"expressions": sums},
            },
            {
                "id": "out",
                "type": "outputNode",
                "name": "out",
                "position": {"x": 3, "y": 0},
                "content": {},
            },
        ],
        "edges": [
            {"id": "a", "sourceId": "in", "targetId": "leaves", "type": "edge"},
            {"id": "b", "sourceId": "leaves", "targetId": "sums", "type": "edge"},
            {"id": "c", "sourceId": "sums", "targetId": "out", "type": "edge"},
        ],
    }
    engine = zen.ZenEngine({"loader": {"type": "static", "content": {"par": graph}}})
    rows = _plain_rows(bench, n)
    requests = [{"key": "par", "context": row} for row in rows]
    engine.evaluate("par", rows[0])
    start = time.perf_counter()
    results = engine.evaluate_batch(requests)
    took = time.perf_counter() - start
    failures = [r for r in results if not r.get("success")]
    if failures:
        raise RuntimeError(f"zen-engine failed: {failures[0]}")
    return took


def _to_zen(expression: str) -> str:
    """`a if c else b` (Python) → `c ? a : b` (ZEN), for the nested forms _rule_expression
    writes."""
    import ast

    tree = ast.parse(expression, mode="eval").body

    def render(node: ast.AST) -> str:
        if isinstance(node, ast.IfExp):
            return f"({render(node.test)} ? {render(node.body)} : {render(node.orelse)})"
        if isinstance(node, ast.BinOp):
            op = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}[type(node.op)]
            return f"({render(node.left)} {op} {render(node.right)})"
        if isinstance(node, ast.Compare):
            op = {ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.Lt: "<"}[type(node.ops[0])]
            return f"{render(node.left)} {op} {render(node.comparators[0])}"
        if isinstance(node, ast.Constant):
            return f"'{node.value}'" if isinstance(node.value, str) else str(node.value)
        if isinstance(node, ast.Name):
            return node.id
        raise ValueError(ast.dump(node))

    return render(tree)


def baselines(bench: BenchRuleset, n: int, batch_time: float, repeat: int) -> None:
    print(f"\n## The same rules, {n:,} units")
    naive = simpleeval_baseline(bench, n)
    print(
        f"simpleeval, parse + eval per formula per unit: {naive:8.2f} s  "
        f"({n / naive:8.0f} units/s)  batch is {naive / batch_time:6.0f}× faster"
    )
    FIGURES["simpleeval"] = {"seconds": naive, "ratio": naive / batch_time}
    try:
        zen_time = min(zen_baseline(bench, n) for _ in range(repeat))
    except Exception as exc:  # pragma: no cover - reported, not hidden
        print(f"zen-engine: could not run ({type(exc).__name__}: {exc})")
        return
    print(
        f"zen-engine evaluate_batch, one decision graph: {zen_time:8.2f} s  "
        f"({n / zen_time:8.0f} units/s)  batch is {zen_time / batch_time:6.1f}× faster"
    )
    FIGURES["zen"] = {"seconds": zen_time, "ratio": zen_time / batch_time}


# -- Monte Carlo -------------------------------------------------------------------------------


def monte_carlo(bench: BenchRuleset, ruleset: pr.Ruleset, replicates: int, units: int) -> None:
    from parindex_rules.loader.facts import facts_from_data
    from parindex_rules.sensitivity import analyse

    facts = facts_from_data(
        {"ruleset": ruleset.id, "year": 2023, "units": unit_facts(bench, units, seed=30)}
    )
    bands = [leaf.id for leaf in bench.leaves if leaf.shape == "percent_bands"][:3]
    specs = [f"threshold:{leaf}=±5" for leaf in bands]
    specs += ["weight:survey=±20%", "max:1=±2", "weight:5=±10%"]
    start = time.perf_counter()
    result = analyse(ruleset, facts, specs, replicates=replicates, seed=1)
    took = time.perf_counter() - start
    top = result.most_influential()
    print(
        f"\n## Monte Carlo: {replicates:,} replicates × {units} units, {len(specs)} parameters:"
        f" {took:.2f} s (most influential: {top.parameter.text if top else '—'})"
    )
    FIGURES["monte_carlo_s"] = took


def shipped_rulesets() -> list[tuple[str, Path]]:
    found = [(p.relative_to(ROOT).as_posix(), p) for p in sorted(ROOT.glob("rulesets/*/*.yaml"))]
    found += [
        (p.relative_to(ROOT).as_posix(), p) for p in sorted(ROOT.glob("examples/*/ruleset.yaml"))
    ]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument(
        "--exact-max",
        type=int,
        default=10_000,
        help="largest size also run on the exact path (default 10,000)",
    )
    parser.add_argument("--baseline-units", type=int, default=10_000)
    parser.add_argument("--replicates", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    print(
        f"# parindex-rules benchmark — Python {sys.version.split()[0]}, {os.cpu_count()} CPUs,"
        f" load average {load[0]:.2f}"
    )
    with tempfile.TemporaryDirectory() as folder:
        bench = bench_ruleset()
        path = Path(folder) / "bench-2023-so.yaml"
        path.write_text(bench.text, encoding="utf-8")
        ruleset = pr.load(path)
        counts = ruleset.counts()
        print(
            f"SYNTHETIC bench ruleset: {counts['fields']}/{counts['criteria']}/"
            f"{counts['subcriteria']}, {len(bench.leaves)} leaves, points "
            f"{ruleset.points_by_origin()}"
        )
        loading([("bench (synthetic, 8/34/99)", path), *shipped_rulesets()], args.repeat)
        sizes = [int(s) for s in args.sizes.split(",")]
        times = throughput(bench, ruleset, sizes, args.exact_max, args.repeat)
        memory(bench, ruleset, max(sizes))
        n = args.baseline_units
        batch_time = times.get(n) or best(
            lambda: ruleset.evaluate_many(unit_columns(bench, n, seed=n)), args.repeat
        )
        baselines(bench, n, batch_time, args.repeat)
        monte_carlo(bench, ruleset, args.replicates, 30)
    if args.json:
        Path(args.json).write_text(json.dumps(FIGURES, indent=2, default=str), encoding="utf-8")
    _ = Decimal
    return 0


if __name__ == "__main__":
    sys.exit(main())
