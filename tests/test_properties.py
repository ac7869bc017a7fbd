"""Invariants of evaluation, over random rulesets built from real rule shapes."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import parindex_rules as pr
from parindex_rules.model.dump import dump_document
from parindex_rules.numbers import ZERO, add

from .helpers import ruleset as make_ruleset
from .helpers import unit
from .strategies import facts_for, leaves, percent_bands, ruleset_docs


def compile_doc(doc: dict[str, Any]) -> pr.Ruleset:
    return pr.loads(json.dumps(doc, ensure_ascii=False), "generated.yaml")


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    doc = draw(ruleset_docs())
    return doc, draw(facts_for(doc))


@given(cases())
def test_scores_stay_within_maxima_and_parents_add_up(
    case: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    doc, items = case
    ruleset = compile_doc(doc)
    result = ruleset.evaluate(unit(items))
    assert result.ok, [d.format() for d in result.diagnostics]
    for node_id, node in result.nodes.items():
        assert node.score is not None
        assert ZERO <= node.score <= node.max, node_id
        children = ruleset.node(node_id).children
        if children:
            total: Any = ZERO
            for child in children:
                total = add(total, result.node(child).score)  # type: ignore[arg-type]
            assert node.score == total, node_id
    assert result.max == Decimal(doc["max"])


@given(cases())
def test_explanation_inputs_reproduce_each_score(
    case: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    """Re-scoring a leaf from nothing but the inputs its explanation lists gives the same score."""
    doc, items = case
    ruleset = compile_doc(doc)
    result = ruleset.evaluate(unit(items))
    for node in leaves(doc):
        explanation = result.explain(node["id"])
        recorded = {r.name: r.value for r in explanation.inputs}
        if "value given" in recorded:
            raw = items[node["id"]]["self"]
            replay: dict[str, Any] = {
                "self": raw if isinstance(raw, bool) else recorded["value given"]
            }
        elif node["scoring"]["method"] == "survey":
            replay = {"survey": {"2024": recorded["survey 2024"]}}
        else:
            replay = {"self": {name: value for name, value in recorded.items() if name != "max"}}
        again = ruleset.evaluate(unit({**items, node["id"]: replay}))
        assert again.node(node["id"]).score == result.node(node["id"]).score, node["id"]


@given(st.data())
def test_band_scoring_is_monotonic(data: st.DataObject) -> None:
    maximum = Decimal(data.draw(st.integers(1, 40)))
    scoring = data.draw(percent_bands(maximum))
    scoring["input"] = "ty_le"
    ruleset = make_ruleset(
        [
            {
                "id": "1.1",
                "name": "x",
                "max": str(maximum),
                "rule": "r",
                "scoring": scoring,
                "inputs": {"ty_le": {"label": "Tỷ lệ", "kind": "percent"}},
            }
        ]
    )
    low, high = sorted(data.draw(st.lists(st.integers(0, 10_000), min_size=2, max_size=2)))

    def score(value: int) -> Any:
        return ruleset.evaluate(unit({"1.1": {"self": str(Decimal(value) / 100)}})).score

    assert score(low) <= score(high)


@given(ruleset_docs())
def test_dump_and_reload_gives_the_same_graph(doc: dict[str, Any]) -> None:
    ruleset = compile_doc(doc)
    again = pr.loads(dump_document(ruleset.document), "dumped.yaml")
    assert again.compiled.fingerprint() == ruleset.compiled.fingerprint()
