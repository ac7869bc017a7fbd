"""Compare a batch result with the single-unit exact path, node by node."""

from __future__ import annotations

from typing import Any

import parindex_rules as pr
from parindex_rules.batch import BatchResult


def mismatches(
    ruleset: pr.Ruleset,
    batch: BatchResult,
    units: list[dict[str, Any]],
    *,
    stage: str = "final",
    year: int | None = None,
) -> list[str]:
    """Every node where the batch differs from `Ruleset.evaluate` after the declared rounding
    (score, index, exact maximum, status), and every unit whose `ok` differs."""
    out = []
    for i, facts in enumerate(units):
        exact = ruleset.evaluate(facts, stage=stage, year=year)  # type: ignore[arg-type]
        if bool(batch.ok[i]) != exact.ok:
            out.append(f"unit {i}: ok {bool(batch.ok[i])} != {exact.ok}")
        for node_id, node in exact.nodes.items():
            got = (
                batch.column(node_id, "score")[i],
                batch.column(node_id, "index")[i],
                batch.column(node_id, "max", form="decimal")[i],
                batch.statuses(node_id)[i],
            )
            want = (exact.rounded(node.score), exact.rounded(node.index), node.max, node.status)
            if got != want:
                out.append(f"unit {i} node {node_id}: batch {got} != exact {want}")
    return out


def bench_module() -> Any:
    """bench/synthetic.py (not a package): the synthetic bench ruleset and units."""
    import importlib.util
    import sys

    from ..conftest import ROOT

    if "parindex_bench_synthetic" in sys.modules:
        return sys.modules["parindex_bench_synthetic"]
    spec = importlib.util.spec_from_file_location(
        "parindex_bench_synthetic", ROOT / "bench" / "synthetic.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["parindex_bench_synthetic"] = module
    spec.loader.exec_module(module)
    return module
