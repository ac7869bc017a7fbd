"""Results copy and pickle (to another process, e.g. a multiprocessing pool) with their
explanations, which the engine otherwise makes on first use."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from parindex_rules.evaluate.result import NodeResult

from .snapshots import cases, unit_snapshot

CASES = cases()


@pytest.mark.parametrize("name", ["bench", "camau-2013", "corpus-evidence-missing"])
def test_a_pickled_or_copied_result_explains_itself_the_same(name: str) -> None:
    ruleset, facts = CASES[name]()
    for unit in facts.units:
        for stage in ("self", "final"):
            result = ruleset.evaluate(unit, stage=stage)
            pickled = pickle.loads(pickle.dumps(result))
            copied = copy.deepcopy(result)
            want = unit_snapshot(result)
            assert unit_snapshot(pickled) == want
            assert unit_snapshot(copied) == want
            for node in pickled.nodes.values():  # still one record per node, linked as a tree
                for child in node.explain().children:
                    assert child is pickled.node(child.node).explain()


def test_results_are_still_dataclasses_whose_explanations_turn_into_data() -> None:
    """`dataclasses.asdict` (a common way to serialise) sees every node's explanation."""
    ruleset, facts = CASES["camau-2013"]()
    result = ruleset.evaluate(facts.units[0])
    data = dataclasses.asdict(result)
    assert [f.name for f in dataclasses.fields(NodeResult)][-1] == "explanation"
    for node_id, node in result.nodes.items():
        assert data["nodes"][node_id]["explanation"] == dataclasses.asdict(node.explain())
        assert data["nodes"][node_id]["explanation"]["node"] == node_id
