"""Snapshots of the exact path's full output, to keep explanations byte-identical.

Every unit of the example cohorts, of the bad-facts corpus and a few synthetic bench units is
evaluated at each stage; the snapshot holds each node's status, exact score and maximum, its
explanation as JSON (this node only) and its children, the unit's diagnostics and deductions,
and the whole explanation tree as text. The golden files in ``golden/`` were written by the
engine as it was before the exact path was made faster (lazy explanation records); the test
checks the engine still writes the same bytes. They hold digests (a full copy would weigh
57 MB): one per node and one per other part of each unit's result, so a difference is named
down to the node. Regenerate only on purpose, with
``python -m tests.perf.snapshots`` from the repository root, and review the diff.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import parindex_rules as pr
from parindex_rules.diagnostics import DiagnosticError
from parindex_rules.evaluate.engine import STAGES
from parindex_rules.evaluate.result import UnitResult
from parindex_rules.loader.facts import Facts, facts_from_data, load_facts
from parindex_rules.readers import read_facts

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
BENCH_UNITS = 6


def unit_snapshot(result: UnitResult) -> dict[str, Any]:
    """Everything the exact path gives for one unit at one stage."""
    nodes = {}
    for node_id, node in result.nodes.items():
        explanation = node.explain()
        nodes[node_id] = {
            "status": node.status,
            "score": result.exact(node.score),
            "max": result.exact(node.max),
            "index": result.exact(node.index),
            "provisional": node.provisional,
            "explanation": explanation.to_json(depth=0),
            "children": [c.node for c in explanation.children],
        }
    total = result.nodes.get("total")
    return {
        "unit": result.unit,
        "stage": result.stage,
        "evaluated": result.evaluated,
        "ranked": result.ranked,
        "reason": result.reason,
        "ok": result.ok,
        "diagnostics": [d.to_json() for d in result.diagnostics],
        "deductions": [
            [d.item, d.name, result.exact(d.points), d.reason] for d in result.deductions
        ],
        "nodes": nodes,
        "text": None if total is None else total.explain().to_text(),
    }


def cases() -> dict[str, Callable[[], tuple[pr.Ruleset, Facts]]]:
    """Every case the snapshots cover: golden name → (ruleset, facts), loaded on demand."""
    found: dict[str, Callable[[], tuple[pr.Ruleset, Facts]]] = {}
    for facts_path in sorted(ROOT.glob("rulesets/*/examples/*-cohort.yaml")):
        kind = facts_path.name.removesuffix("-cohort.yaml")
        ruleset_path = facts_path.parent.parent / f"{kind}.yaml"
        found[f"{facts_path.parent.parent.name}-{kind}"] = partial(_pair, ruleset_path, facts_path)
    for example in ("camau-2013", "chuyendoiso-huyen"):
        folder = ROOT / "examples" / example
        found[example] = partial(_pair, folder / "ruleset.yaml", folder / "facts.yaml")
    found["plugin-demo"] = _plugin_demo
    corpus = ROOT / "tests/corpus/facts"
    for case in sorted(corpus.glob("*.yaml")):
        named = re.search(r"^# ruleset: (\S+)", case.read_text(encoding="utf-8"), re.M)
        if named is None:
            continue
        try:
            _facts(case)
        except DiagnosticError:
            continue  # refused while loading: nothing reaches the engine
        found[f"corpus-{case.stem}"] = partial(_pair, corpus / named.group(1), case)
    found["bench"] = _bench
    return found


def _pair(ruleset: Path, facts: Path) -> tuple[pr.Ruleset, Facts]:
    return pr.load(_relative(ruleset)), _facts(facts)


def _plugin_demo() -> tuple[pr.Ruleset, Facts]:
    demo = pr.load("demo-2024/so")
    jsonl = ROOT / "examples/plugins/parindex-plugin-demo/examples/so-cohort.jsonl"
    return demo, read_facts(_relative(jsonl), ruleset=demo)


def _bench() -> tuple[pr.Ruleset, Facts]:
    from tests.batch.helpers import bench_module

    bench = bench_module()
    ruleset = bench_module().bench_ruleset()
    units = bench.unit_facts(ruleset, BENCH_UNITS, seed=8)
    compiled = pr.loads(ruleset.text, "bench.yaml")
    return compiled, facts_from_data({"ruleset": compiled.id, "year": 2023, "units": units})


def _relative(path: Path) -> Path:
    return path.relative_to(ROOT)


def _facts(path: Path) -> Facts:
    return load_facts(_relative(path))


def snapshots(ruleset: pr.Ruleset, facts: Facts) -> list[dict[str, Any]]:
    """Every unit of one case at every stage."""
    units: list[dict[str, Any]] = []
    for stage in STAGES:
        cohort = ruleset.evaluate_cohort(facts, stage=stage)
        units.extend(unit_snapshot(unit) for unit in cohort.units)
        # One unit again through `Ruleset.evaluate` without the file: no locations.
        if facts.units:
            units.append(unit_snapshot(ruleset.evaluate(facts.units[0], stage=stage)))
    return units


def digest(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)  # key order counts too
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def digests(units: list[dict[str, Any]]) -> str:
    """The golden text of one case: per unit and stage, a digest of each part and node."""
    out = []
    for unit in units:
        parts = {k: digest(v) for k, v in unit.items() if k not in ("unit", "stage", "nodes")}
        nodes = {node_id: digest(node) for node_id, node in unit["nodes"].items()}
        out.append({"unit": unit["unit"], "stage": unit["stage"], "parts": parts, "nodes": nodes})
    return json.dumps(out, ensure_ascii=False, indent=0) + "\n"


def write_all() -> None:
    """Rewrite every golden file (run from the repository root)."""
    for name, case in cases().items():
        ruleset, facts = case()
        (GOLDEN / f"{name}.json").write_text(digests(snapshots(ruleset, facts)), encoding="utf-8")


if __name__ == "__main__":
    write_all()
