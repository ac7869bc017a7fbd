"""Limits: every named limit in parindex_rules.limits has a corpus case that exceeds it and gets
its clear diagnostic, and reading stops at the limit instead of reading on."""

from __future__ import annotations

from pathlib import Path

from parindex_rules import limits
from tests.hardening.corpus import all_cases, run_case

#: Each limit, the corpus case that exceeds it, and the code it gives.
EXCEEDED_BY = {
    "MAX_RULESET_BYTES": ("generated/huge-ruleset", "PR901"),
    "MAX_FACTS_BYTES": ("generated/huge-facts", "PR901"),
    "MAX_YAML_NODES": ("generated/too-many-yaml-nodes-facts", "PR902"),
    "MAX_RULESET_YAML_NODES": ("generated/too-many-yaml-nodes", "PR902"),
    "MAX_YAML_DEPTH": ("generated/deep-yaml", "PR903"),
    "MAX_RULESET_NODES": ("generated/too-many-ruleset-nodes", "PR904"),
    "MAX_UNITS": ("generated/too-many-units", "PR905"),
    "MAX_EXPRESSION_LENGTH": ("formulas/too-long.yaml", "PR307"),
    "MAX_EXPRESSION_DEPTH": ("escapes/deep-parentheses.yaml", "PR307"),
    "MAX_EXPRESSION_NODES": ("formulas/too-many-parts.yaml", "PR307"),
    "MAX_POWER_EXPONENT": ("formulas/power-big-exponent.yaml", "PR308"),
    "MAX_LITERAL_DIGITS": ("formulas/literal-too-long.yaml", "PR307"),
    "MAX_NUMBER_DIGITS": ("model/max-huge-exponent.yaml", "PR105"),
    "MAX_VALUE_DIGITS": ("facts/value-too-large.yaml", "PR906"),
}


def test_every_limit_has_a_case_giving_its_code() -> None:
    named = {name for name in vars(limits) if name.startswith("MAX_")}
    assert named == set(EXCEEDED_BY), "give each new limit a corpus case"
    cases = {case.name: case for case in all_cases()}
    for name, (case_name, code) in EXCEEDED_BY.items():
        assert code in {e.code for e in cases[case_name].expected}, name


#: Limits kept beside the code they protect, and the case that exceeds each.
ELSEWHERE = {
    ("parindex_rules.loader.extends", "MAX_EXTENDS_DEPTH"): ("generated/extends-too-deep", "PR022"),
    ("parindex_rules.annex.table", "MAX_ANNEX_BYTES"): ("generated/huge-annex", "PR901"),
    ("parindex_rules.sheets.workbook", "MAX_WORKBOOK_UNPACKED"): (
        "generated/xlsx-zip-bomb",
        "PR826",
    ),
    ("parindex_rules.sheets.workbook", "MAX_SHEET_ROWS"): ("generated/xlsx-too-many-rows", "PR824"),
}


def test_limits_kept_elsewhere_have_cases() -> None:
    import importlib
    import pkgutil

    import parindex_rules

    found = set()
    for info in pkgutil.walk_packages(parindex_rules.__path__, "parindex_rules."):
        if info.name == "parindex_rules.limits":
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            defined_here = getattr(module, "__name__", "") == info.name
            if name.startswith("MAX_") and isinstance(value, int) and defined_here:
                source = Path(module.__file__ or "").read_text(encoding="utf-8")
                if f"\n{name} = " in source or f"\n{name}: " in source:
                    found.add((info.name, name))
    assert found == set(ELSEWHERE), "give each new limit a corpus case (or move it to limits.py)"
    cases = {case.name: case for case in all_cases()}
    for (_, name), (case_name, code) in ELSEWHERE.items():
        assert code in {e.code for e in cases[case_name].expected}, name


def test_deep_nesting_also_caught_in_json_and_formulas() -> None:
    cases = {case.name: case for case in all_cases()}
    assert [e.code for e in cases["generated/deep-json"].expected] == ["PR903"]
    assert [e.code for e in cases["escapes/deep-calls.yaml"].expected] == ["PR307"]


def test_reading_stops_at_the_node_limit(tmp_path: Path) -> None:
    """The oversized files end with a syntax error: it is never reported, because reading
    stops at the limit (the position reported is that of the first node past it)."""
    cases = {case.name: case for case in all_cases()}
    for name in ("generated/too-many-yaml-nodes", "generated/too-many-yaml-nodes-facts"):
        folder = tmp_path / name.split("/")[1]
        folder.mkdir()
        outcome = run_case(cases[name], folder)
        assert "PR004" not in outcome.stderr
        assert [p.code for p in outcome.printed] == ["PR902"]
        lines = (folder / "nodes.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
        stop = outcome.printed[0]
        offset = sum(len(line) for line in lines[: stop.line - 1]) + stop.column
        assert offset < sum(len(line) for line in lines) / 10


def test_limits_are_generous_for_real_rule_books() -> None:
    """The largest decision we hold has about 150 nodes and formulas of a few dozen
    characters; the limits leave room for far more, and stay small enough to fail fast."""
    assert limits.MAX_RULESET_NODES >= 30 * 150
    assert limits.MAX_EXPRESSION_LENGTH >= 500
    assert limits.MAX_RULESET_YAML_NODES >= 20 * limits.MAX_RULESET_NODES // 2
    assert limits.MAX_UNITS >= 100_000  # a national batch of every xã, many years over
