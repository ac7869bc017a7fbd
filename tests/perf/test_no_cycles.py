"""Evaluating a unit leaves no reference cycles: a dropped result is freed at once.

Results hold what their explanations are made from; if that ever pointed back at the
evaluation (a context holding a method bound to itself, a record holding the engine, a stored
exception whose traceback holds the engine's frames), every result would wait for the cycle
collector, which made a long run of units half as fast.
"""

from __future__ import annotations

import gc

import pytest

from .snapshots import cases

CASES = cases()


@pytest.mark.parametrize("name", ["bench", "camau-2013", "hanoi-2023-so", "plugin-demo"])
def test_a_dropped_result_leaves_no_cyclic_garbage(name: str) -> None:
    ruleset, facts = CASES[name]()
    for unit in facts.units:
        ruleset.evaluate(unit)  # first use: the ruleset's plan and caches are made
    gc.collect()
    gc.disable()
    try:
        for stage in ("self", "appraised", "final"):
            for unit in facts.units:
                result = ruleset.evaluate(unit, stage=stage)
                for node in result.nodes.values():
                    node.explain().to_text()  # the records, made on demand, too
                del result
        found = gc.collect()
    finally:
        gc.enable()
    assert found == 0, f"{found} objects were only freed by the cycle collector"


def test_nor_do_units_with_missing_refused_or_failing_facts() -> None:
    failing = [name for name in CASES if name.startswith("corpus-")]
    assert len(failing) > 20
    loaded = [CASES[name]() for name in failing]
    for ruleset, facts in loaded:
        for unit in facts.units:
            ruleset.evaluate(unit)
    gc.collect()
    gc.disable()
    try:
        for ruleset, facts in loaded:
            for unit in facts.units:
                result = ruleset.evaluate(unit)
                for node in result.nodes.values():
                    node.explain()
                del result
        found = gc.collect()
    finally:
        gc.enable()
    assert found == 0, f"{found} objects were only freed by the cycle collector"
