"""The built-ins come through the same entry points as any plugin: nothing is special."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import metadata

import pytest

import parindex_rules as pr
from parindex_rules.diagnostics import FactsError, RulesetError
from parindex_rules.plugins import GROUPS, registry
from parindex_rules.readers import read_facts

from ..conftest import EXAMPLES

BUILTINS = {
    "methods": {
        "points",
        "appraisal_only",
        "choice",
        "boolean",
        "checklist",
        "bands",
        "formula",
        "survey",
    },
    "functions": {"min", "max", "clamp", "round", "abs", "ratio", "percent"},
    "readers": {"yaml"},
    "exporters": {"json", "text"},
    "rulesets": {"builtin"},
}


def test_every_builtin_is_an_entry_point_of_the_core_distribution() -> None:
    registry.reset()
    core = metadata.distribution("parindex-rules")
    declared = {(e.group, e.name): e.value for e in core.entry_points}
    for kind, names in BUILTINS.items():
        for name in names:
            info = registry.info(kind, name)
            assert info is not None, (kind, name)
            assert info.distribution == "parindex-rules"
            assert info.version == pr.__version__
            assert info.value == declared[(GROUPS[kind], name)]


@pytest.fixture
def no_entry_points(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(metadata, "entry_points", lambda **_: [])
    registry.reset()
    yield
    monkeypatch.undo()
    registry.reset()


def test_without_entry_points_nothing_is_built_in(no_entry_points: None) -> None:
    for kind in GROUPS:
        assert registry.names(kind) == []
    with pytest.raises(RulesetError) as caught:
        pr.load(EXAMPLES / "camau-2013" / "ruleset.yaml")
    assert {d.code for d in caught.value.errors} == {"PR109"}
    with pytest.raises(FactsError) as facts_caught:
        read_facts(EXAMPLES / "camau-2013" / "facts.yaml")
    assert [d.code for d in facts_caught.value.errors] == ["PR801"]


def test_the_plugin_contracts_are_checked_whoever_asks_first() -> None:
    """Each group imports the module stating its contract before loading: always validated."""
    registry.reset()
    registry.names("readers")
    assert "readers" in registry._validators
    for kind in GROUPS:
        registry.names(kind)
        assert kind in registry._validators
