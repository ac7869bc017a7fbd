"""docs/interfaces.md lists every key we add to the shared contract; keep it honest.

Each table of that page marked ``<!-- keys: SCOPE -->`` lists, in its first column, the keys
an output has beyond the contract. For every scope, the real output (the CLI run on the shipped
rulesets and cohorts, or the facts model) must have exactly the contract's keys plus the
documented ones: a documented key that no output has fails, and so does a key in an output that
neither the contract nor the page names. The contract's keys are copied below from
shared/interfaces.md, which is not in this repository.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

import parindex_rules as pr
from parindex_rules.cli import main
from parindex_rules.loader.resolve import index as installed_index
from parindex_rules.model.facts import Evidence, FactsDocument, ItemFacts, UnitFacts

from .conftest import ROOT

DOC = ROOT / "docs" / "interfaces.md"
CAMAU = "examples/camau-2013/ruleset.yaml"
CAMAU_FACTS = "examples/camau-2013/facts.yaml"
VINHLONG = "rulesets/vinhlong-2023/so.yaml"
VINHLONG_FACTS = "rulesets/vinhlong-2023/examples/so-cohort.yaml"
QUANGTRI = "quangtri-2019/so"
QUANGTRI_FACTS = "rulesets/quangtri-2019/examples/so-cohort.yaml"
HANOI_FACTS = "rulesets/hanoi-2023/examples/so-cohort.yaml"


def _keys(words: str) -> set[str]:
    return set(words.split())


_UNIT = _keys(
    "unit name group stage score max index rank ranked reason class deductions provisional"
)

#: The keys shared/interfaces.md fixes, by scope. An empty set: the contract names the thing
#: but not its keys.
CONTRACT: dict[str, set[str]] = {
    "facts.document": _keys("ruleset year units"),
    "facts.unit": _keys("unit name group ranked reason type submitted items"),
    "facts.item": _keys("self appraisal evidence explanation applicable reason survey"),
    "facts.evidence": _keys("number date title link"),
    "score": _keys("ruleset provisional units"),
    "score.unit": _UNIT | {"nodes"},
    "score.node": _keys("score max index origin provisional"),
    "score.deduction": set(),
    "score.lost": set(),
    "score.changes": set(),
    "score.changes.changed": set(),
    "rank": _keys("ruleset provisional units groups"),
    "rank.unit": _UNIT,
    "rank.group": _keys("count index fields"),
    "rank.summary": _keys("mean median min max"),
    "rank.tie": set(),
    "describe": _keys(
        "ruleset title decision level year fields criteria subcriteria max points_by_origin "
        "provenance provisional"
    ),
    "describe.decision": set(),
    "describe.provenance": _keys("sourced_nodes provisional_nodes provisional_points"),
    "explain": _keys("ruleset provisional"),
    "explain.node": set(),
    "explain.input": set(),
}

MARKER = re.compile(r"<!-- keys: ([\w.]+) -->\n((?:\|.*\n)+)")
KEY_CELL = re.compile(r"^\|\s*`([^`]+)`\s*\|")


def documented() -> dict[str, list[str]]:
    """The keys of each marked table: the first cell of each body row, in backticks."""
    tables: dict[str, list[str]] = {}
    for scope, body in MARKER.findall(DOC.read_text(encoding="utf-8")):
        header, rule, *rows = body.splitlines()
        assert header.replace(" ", "").startswith("|key|"), (scope, header)
        assert set(rule) <= set("|-: "), (scope, rule)
        keys = []
        for row in rows:
            match = KEY_CELL.match(row)
            assert match, f"{scope}: a row without a `key` in its first cell: {row}"
            keys.append(match.group(1))
        assert scope not in tables, f"two tables for {scope}"
        tables[scope] = keys
    return tables


def walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("children", []):
        yield from walk(child)


def model_keys(model: type[BaseModel]) -> set[str]:
    return {f.alias or name for name, f in model.model_fields.items()}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """Every mapping each scope's outputs hold, from real runs chosen so that every optional
    key shows up: deductions and ties (Quảng Trị), the self stage and --changes, a tie-breaker
    the CSV cannot apply, and the decisions of every installed ruleset."""
    found: dict[str, list[dict[str, Any]]] = {scope: [] for scope in CONTRACT}

    def run(*args: str) -> Any:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([*args, "--format", "json"])
        assert code == 0, (args, err.getvalue())
        return json.loads(out.getvalue())

    def add_score(data: dict[str, Any]) -> None:
        found["score"].append(data)
        for unit in data["units"]:
            found["score.unit"].append(unit)
            found["score.node"] += unit["nodes"].values()
            found["score.deduction"] += unit["deductions"]
            found["score.lost"] += unit["lost"]
            if "changes" in unit:
                found["score.changes"].append(unit["changes"])
                found["score.changes.changed"] += unit["changes"]["changed"]

    def add_rank(data: dict[str, Any]) -> None:
        found["rank"].append(data)
        found["rank.unit"] += data["units"]
        found["rank.tie"] += data["ties"]
        for group in data["groups"].values():
            found["rank.group"].append(group)
            found["rank.summary"] += [group["index"], *group["fields"].values()]

    for ruleset, facts in ((VINHLONG, VINHLONG_FACTS), (QUANGTRI, QUANGTRI_FACTS)):
        add_score(run("score", ruleset, "--facts", facts))
        add_rank(run("rank", ruleset, "--facts", facts))
    add_score(run("score", VINHLONG, "--facts", VINHLONG_FACTS, "--stage", "self", "--changes"))
    add_score(run("score", CAMAU, "--facts", CAMAU_FACTS, "--changes"))

    # A ruleset with a tie-breaker, and published scores with a tie: `notes` and `ties`.
    tmp = tmp_path_factory.mktemp("interfaces")
    text = (ROOT / CAMAU).read_text(encoding="utf-8")
    breaker = 'ranking:\n  tie_breakers:\n    - {node: "1", provisional: "đọc tạm"}\ndocuments:\n'
    assert "\ndocuments:\n" in text
    (tmp / "ruleset.yaml").write_text(text.replace("\ndocuments:\n", "\n" + breaker, 1), "utf-8")
    (tmp / "scores.csv").write_text("unit,index,group\na,80.5,g\nb,80.50,g\nc,70,g\n", "utf-8")
    add_rank(run("rank", str(tmp / "ruleset.yaml"), "--scores", str(tmp / "scores.csv")))
    add_rank(run("rank", "--scores", str(tmp / "scores.csv")))

    describe = run("describe", VINHLONG)
    found["describe"].append(describe)
    found["describe.provenance"].append(describe["provenance"])
    for ref in [*sorted(installed_index()[0]), CAMAU]:
        found["describe.decision"].append(pr.load(ref).describe()["decision"])

    explain = run("explain", CAMAU, "--facts", CAMAU_FACTS, "--unit", "don-vi-c")
    found["explain"].append(explain)
    found["explain"].append(  # a unit excluded from evaluation: the envelope, no tree
        run("explain", "hanoi-2023/so", "--facts", HANOI_FACTS, "--unit", "don-vi-vi-du-loai-tru")
    )
    for node in walk(explain["explanation"]):
        found["explain.node"].append(node)
        found["explain.input"] += node["inputs"]

    for scope, model in (
        ("facts.document", FactsDocument),
        ("facts.unit", UnitFacts),
        ("facts.item", ItemFacts),
        ("facts.evidence", Evidence),
    ):
        found[scope].append(dict.fromkeys(model_keys(model)))
    return found


def test_every_table_names_a_scope_the_test_checks() -> None:
    tables = documented()
    assert tables, "docs/interfaces.md has no marked key table"
    unknown = set(tables) - set(CONTRACT)
    assert not unknown, f"tables this test does not check: {sorted(unknown)}"
    for scope, keys in tables.items():
        assert len(keys) == len(set(keys)), f"{scope}: a key listed twice"
        again = set(keys) & CONTRACT[scope]
        assert not again, f"{scope}: {sorted(again)} are the contract's, not additions"


@pytest.mark.parametrize("scope", sorted(CONTRACT))
def test_output_keys_are_the_contract_plus_the_documented(
    scope: str, outputs: dict[str, list[dict[str, Any]]]
) -> None:
    samples = outputs[scope]
    assert samples, f"no output of scope {scope} was produced"
    seen = set().union(*(set(sample) for sample in samples))
    added = set(documented().get(scope, []))
    undocumented = seen - CONTRACT[scope] - added
    assert not undocumented, (
        f"{scope}: keys neither in the contract nor in docs/interfaces.md: {sorted(undocumented)}"
    )
    never = added - seen
    assert not never, f"{scope}: documented keys no output has: {sorted(never)}"
    missing = CONTRACT[scope] - seen
    assert not missing, f"{scope}: contract keys the output lacks: {sorted(missing)}"


def test_scores_are_rounded_and_maxima_exact(outputs: dict[str, list[dict[str, Any]]]) -> None:
    """The page says: node and unit `score`/`index` are rounded once to the declared places (2
    for Vĩnh Long, Quảng Trị and Cà Mau: all default to 2, half up), shown with exactly that
    many; `max` is exact, without trailing zeros."""
    rounded = re.compile(r"^-?\d+\.\d{2}$")
    exact = re.compile(r"^-?\d+(\.\d*[1-9])?$")
    values = [*outputs["score.unit"], *outputs["score.node"]]
    assert len(values) > 100
    for value in values:
        for key in ("score", "index"):
            assert value[key] is None or rounded.match(value[key]), (key, value)
        assert value["max"] is None or exact.match(value["max"]), value
    # Vĩnh Long sở field 1 of the first unit: 5.75 of 7.5 → index 76.666… → "76.67".
    first = outputs["score"][0]["units"][0]["nodes"]["1"]
    assert (first["score"], first["max"], first["index"]) == ("5.75", "7.5", "76.67")


def test_describe_counts_the_root_node(outputs: dict[str, list[dict[str, Any]]]) -> None:
    """The page says the node counts include the root: Vĩnh Long sở has 8 + 34 + 99 = 141
    fields, criteria and sub-criteria, all provisional, and its sourced root (max 100)."""
    describe = outputs["describe"][0]
    assert describe["fields"] + describe["criteria"] + describe["subcriteria"] == 141
    assert describe["provenance"]["provisional_nodes"] == 141
    assert describe["provenance"]["sourced_nodes"] == 1


def test_guides_link_the_page() -> None:
    readme = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    assert "(interfaces.md)" in readme
    assert Path(DOC).exists()
