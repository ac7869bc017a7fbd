"""Broken plugins each give their diagnostic, naming the plugin, and the rest keeps working.

Every plugin here lives in a fake distribution made at test time (see conftest.py).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import parindex_rules as pr
from parindex_rules.cli import main
from parindex_rules.diagnostics import FactsError, RulesetError
from parindex_rules.plugins import registry
from parindex_rules.readers import read_facts

from ..conftest import EXAMPLES
from .conftest import FakeDist
from .helpers import SCORING_LINE, facts, write_ruleset

CAMAU = EXAMPLES / "camau-2013" / "ruleset.yaml"
CAMAU_FACTS = EXAMPLES / "camau-2013" / "facts.yaml"

METHODS = """
from decimal import Decimal
from pydantic import BaseModel, ConfigDict
from parindex_rules.methods.base import MethodConfig, Outcome, ScoringMethod
from parindex_rules.methods.points import PointsMethod

class Good(ScoringMethod):
    api_version = 1
    summary = "always half"
    def evaluate(self, ctx):
        return Outcome(score=Decimal("0.5"), steps=["half"])

class Boom(ScoringMethod):
    api_version = 1
    def evaluate(self, ctx):
        raise RuntimeError("boom in evaluate\\nsecond line")

class RaisesInPrepare(Good):
    def prepare(self, ctx):
        raise KeyError("prepare broke")

class FloatScore(Good):
    def evaluate(self, ctx):
        return Outcome(score=0.5)

class NotAnOutcome(Good):
    def evaluate(self, ctx):
        return Decimal("0.5")

class Future(Good):
    api_version = 2

class Undeclared(ScoringMethod):
    def evaluate(self, ctx):
        return Outcome(score=Decimal(0))

class SubclassOfBuiltin(PointsMethod):
    pass

class LooseConfig(Good):
    class Config(MethodConfig):
        model_config = ConfigDict(extra="allow", frozen=True)

class Opaque:
    pass

class NoSchema(Good):
    class Config(MethodConfig):
        model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
        thing: Opaque | None = None

class PlainConfig(Good):
    class Config(BaseModel):
        method: str

class NotAMethod:
    api_version = 1
"""

ENTRIES = {
    "good": "{module}:Good",
    "boom": "{module}:Boom",
    "raises_in_prepare": "{module}:RaisesInPrepare",
    "float_score": "{module}:FloatScore",
    "not_an_outcome": "{module}:NotAnOutcome",
    "future": "{module}:Future",
    "undeclared": "{module}:Undeclared",
    "points_subclass": "{module}:SubclassOfBuiltin",
    "loose_config": "{module}:LooseConfig",
    "no_schema": "{module}:NoSchema",
    "plain_config": "{module}:PlainConfig",
    "not_a_method": "{module}:NotAMethod",
    "missing_attribute": "{module}:NoSuchClass",
    "missing_module": "fake_plugin_no_such_module:Thing",
}


@pytest.fixture
def methods(fake_dist: FakeDist) -> str:
    return fake_dist("fake-methods", {"methods": ENTRIES}, METHODS, version="2.5")


def test_each_broken_method_gives_its_diagnostic(methods: str) -> None:
    broken = {info.name: info.error for info in registry.broken("methods")}
    expected = {
        "future": ("PR703", "targets plugin API version 2"),
        "undeclared": ("PR706", "does not declare the plugin API version"),
        "points_subclass": ("PR706", "does not declare the plugin API version"),
        "loose_config": ("PR702", "must forbid unknown keys"),
        "no_schema": ("PR702", "has no JSON Schema"),
        "plain_config": ("PR702", "PlainConfig.Config is not a MethodConfig subclass"),
        "not_a_method": ("PR702", "is not a ScoringMethod subclass"),
        "missing_attribute": ("PR701", "AttributeError"),
        "missing_module": ("PR701", "ModuleNotFoundError"),
    }
    assert set(broken) == set(expected)
    for name, (code, text) in expected.items():
        error = broken[name]
        assert error is not None
        assert error.code == code, name
        assert text in error.message, error.message
        # Named by distribution and entry-point name, on one line, never a traceback.
        assert error.message.startswith(f"plugin fake-methods:{name}: ")
        assert error.file == f"<plugin fake-methods:{name}>"
        assert "\n" not in error.format() and "Traceback" not in error.format()


def test_working_plugins_of_the_same_distribution_still_load(methods: str) -> None:
    names = registry.names("methods")
    for name in ("good", "boom", "raises_in_prepare", "float_score", "not_an_outcome"):
        assert name in names
    info = registry.info("methods", "good")
    assert info is not None
    assert (info.distribution, info.version, info.summary) == ("fake-methods", "2.5", "always half")
    # The built-ins are untouched, and the Cà Mau example still scores (unit A: 6 of 7).
    assert {"points", "choice", "bands"} <= set(names)
    cohort = pr.load(CAMAU).evaluate_cohort(pr.load_facts(CAMAU_FACTS))
    assert cohort.unit("don-vi-a").score == Decimal(6)


def test_a_ruleset_naming_a_broken_method_says_why_it_is_unknown(
    methods: str, tmp_path: Path
) -> None:
    path = write_ruleset(tmp_path, "future")
    with pytest.raises(RulesetError) as caught:
        pr.load(path)
    [error] = caught.value.errors
    assert error.code == "PR109"
    assert (error.line, error.column) == (SCORING_LINE + 1, 19)
    assert error.hint is not None
    assert "the plugin providing 'future' failed to load" in error.hint
    assert "targets plugin API version 2" in error.hint


def test_a_method_raising_in_evaluate_is_reported_and_the_rest_is_scored(
    methods: str, tmp_path: Path
) -> None:
    """Leaf 1.1 (points) scores 1 for each unit; leaf 1.2 (boom) is an error, not a crash."""
    ruleset = pr.load(write_ruleset(tmp_path, "boom"))
    cohort = ruleset.evaluate_cohort(facts(1, 0))
    assert not cohort.ok
    for unit in cohort.units:
        assert unit.node("1.1").score == Decimal(1)
        assert unit.node("1.2").score is None
        [error] = [d for d in unit.diagnostics if d.is_error]
        assert error.code == "PR704"
        assert "scoring method 'boom' raised RuntimeError: boom in evaluate second line" in (
            error.message
        )


def test_cli_reports_a_raising_method_without_traceback(
    methods: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ruleset = write_ruleset(tmp_path, "boom")
    facts_file = tmp_path / "facts.json"
    facts_file.write_text(json.dumps(facts(1)), encoding="utf-8")
    assert main(["score", str(ruleset), "--facts", str(facts_file)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{facts_file}:" in err and "PR704" in err and "'boom'" in err


@pytest.mark.parametrize(
    ("method", "code", "text"),
    [
        ("float_score", "PR707", "the score is a float (0.5); scores must be exact"),
        ("not_an_outcome", "PR707", "evaluate() returned Decimal, not an Outcome"),
    ],
)
def test_a_method_breaking_the_outcome_contract_is_reported(
    methods: str, tmp_path: Path, method: str, code: str, text: str
) -> None:
    ruleset = pr.load(write_ruleset(tmp_path, method))
    unit = ruleset.evaluate_cohort(facts(1)).units[0]
    assert unit.node("1.1").score == Decimal(1)
    [error] = [d for d in unit.diagnostics if d.is_error]
    assert (error.code, error.file) == (code, "<facts>")
    assert f"scoring method {method!r} broke its contract: {text}" in error.message


def test_a_method_raising_at_compile_time_is_located_at_its_scoring(
    methods: str, tmp_path: Path
) -> None:
    with pytest.raises(RulesetError) as caught:
        pr.load(write_ruleset(tmp_path, "raises_in_prepare"))
    [error] = caught.value.errors
    assert error.code == "PR704"
    assert "scoring method 'raises_in_prepare' raised KeyError: 'prepare broke'" in error.message
    assert (error.line, error.column) == (SCORING_LINE + 1, 11)  # the `scoring` block


def test_the_good_method_scores_beside_the_broken_ones(methods: str, tmp_path: Path) -> None:
    """1.1 scores 1 (points), 1.2 scores 0.5 (good): 1.5 of 2."""
    result = pr.load(write_ruleset(tmp_path, "good")).evaluate_cohort(facts(1)).units[0]
    assert result.score == Decimal("1.5")
    assert result.node("1.2").explain().steps == ["half"]


def test_a_plugin_exiting_at_import_is_contained(fake_dist: FakeDist) -> None:
    fake_dist("fake-exit", {"methods": {"exits": "{module}:Thing"}}, "raise SystemExit(3)\n")
    [info] = registry.broken("methods")
    assert info.error is not None
    assert info.error.code == "PR701"
    assert "SystemExit: 3" in info.error.message
    assert "points" in registry.names("methods")


def test_a_duplicate_name_keeps_the_builtin_and_warns(fake_dist: FakeDist) -> None:
    fake_dist("aaa-first-by-name", {"methods": {"points": "{module}:Good"}}, METHODS)
    info = registry.info("methods", "points")
    assert info is not None
    assert info.distribution == "parindex-rules"
    [warning] = registry.problems("methods")
    assert warning.code == "PR705"
    assert "registered by both parindex-rules and aaa-first-by-name" in warning.message


def test_runtime_registration_is_checked_like_a_plugin(fake_dist: FakeDist) -> None:
    module = fake_dist("fake-runtime", {}, METHODS)
    import importlib

    loaded = importlib.import_module(module)
    registry.register("methods", "runtime_good", loaded.Undeclared)  # the application's own
    assert "runtime_good" in registry.names("methods")
    with pytest.raises(TypeError, match="targets plugin API version 2"):
        registry.register("methods", "runtime_future", loaded.Future)
    with pytest.raises(TypeError, match="must forbid unknown keys"):
        registry.register("methods", "runtime_loose", loaded.LooseConfig)


FUNCTIONS = """
from decimal import Decimal
from parindex_rules.expr.functions import FunctionSpec

def _boom(env, text, x):
    raise ZeroDivisionError("inner trouble")

def _floaty(env, text, x):
    return 0.5

def _double(env, text, x):
    return x * 2

BOOM = FunctionSpec("boom_fn", _boom, 1, 1, api_version=1)
FLOATY = FunctionSpec("floaty", _floaty, 1, 1, api_version=1)
DOUBLE = FunctionSpec("double", _double, 1, 1, api_version=1, doc="x times 2")
MISNAMED = FunctionSpec("other_name", _double, 1, 1, api_version=1)
UNDECLARED = FunctionSpec("undeclared_fn", _double, 1, 1)
OLD = FunctionSpec("old_fn", _double, 1, 1, api_version=0)
"""


@pytest.fixture
def functions(fake_dist: FakeDist) -> str:
    entries = {
        name: f"{{module}}:{name.upper()}"
        for name in ("boom", "floaty", "double", "misnamed", "undeclared", "old")
    }
    entries = {
        "boom_fn": entries["boom"],
        "floaty": entries["floaty"],
        "double": entries["double"],
        "misnamed_fn": entries["misnamed"],
        "undeclared_fn": entries["undeclared"],
        "old_fn": entries["old"],
    }
    return fake_dist("fake-functions", {"functions": entries}, FUNCTIONS)


def test_broken_functions_each_give_their_diagnostic(functions: str) -> None:
    broken = {info.name: info.error for info in registry.broken("functions")}
    assert {n: e.code for n, e in broken.items() if e} == {
        "misnamed_fn": "PR702",
        "undeclared_fn": "PR706",
        "old_fn": "PR703",
    }
    assert {"boom_fn", "floaty", "double", "min", "ratio"} <= set(registry.names("functions"))


def _formula_ruleset(tmp_path: Path, formula: str, extra: str = "") -> pr.Ruleset:
    path = write_ruleset(
        tmp_path,
        "formula",
        f'formula: "{formula}"',
        inputs="x: {label: Giá trị, kind: number}",
        extra=extra,
    )
    return pr.load(path)


@pytest.mark.parametrize(
    ("formula", "text"),
    [
        ("boom_fn(x)", "function 'boom_fn' raised ZeroDivisionError: inner trouble in boom_fn(x)"),
        ("floaty(x)", "function 'floaty' returned float 0.5 in floaty(x)"),
    ],
)
def test_a_function_raising_or_returning_a_float_is_reported(
    functions: str, tmp_path: Path, formula: str, text: str
) -> None:
    result = _formula_ruleset(tmp_path, formula).evaluate_cohort(facts(1)).units[0]
    assert result.node("1.1").score == Decimal(1)
    [error] = [d for d in result.diagnostics if d.is_error]
    assert error.code == "PR704"
    assert text in error.message


def test_a_function_raising_in_a_derived_value_is_reported_at_the_leaf_reading_it(
    functions: str, tmp_path: Path
) -> None:
    derived = 'derived:\n  d: {formula: "boom_fn(x)", label: D, provisional: kiểm thử}\n'
    result = _formula_ruleset(tmp_path, "d", derived).evaluate_cohort(facts(1)).units[0]
    [error] = [d for d in result.diagnostics if d.is_error]
    assert error.code == "PR704"
    assert "function 'boom_fn' raised ZeroDivisionError" in error.message


def test_a_plugin_function_scores(functions: str, tmp_path: Path) -> None:
    """double(0.25) = 0.5, so 1 + 0.5 = 1.5."""
    result = _formula_ruleset(tmp_path, "double(x)").evaluate_cohort(facts("0.25")).units[0]
    assert result.score == Decimal("1.5")


READERS = """
from parindex_rules.loader.facts import load_facts

class BoomReader:
    api_version = 1
    suffixes = (".boom",)
    summary = "raises"
    def read(self, path, *, ruleset=None):
        raise ValueError("cannot parse boom files")

class WrongReturn:
    api_version = 1
    suffixes = (".wrong",)
    summary = "returns a dict"
    def read(self, path, *, ruleset=None):
        return {"units": []}

class OldReader(BoomReader):
    api_version = 0
    suffixes = (".old",)

class NotAReader:
    api_version = 1
    suffixes = (".nope",)
"""


@pytest.fixture
def readers(fake_dist: FakeDist) -> str:
    entries = {
        "boom": "{module}:BoomReader",
        "wrong": "{module}:WrongReturn",
        "old": "{module}:OldReader",
        "nope": "{module}:NotAReader",
    }
    return fake_dist("fake-readers", {"readers": entries}, READERS)


def test_broken_readers_each_give_their_diagnostic(readers: str) -> None:
    broken = {info.name: info.error.code for info in registry.broken("readers") if info.error}
    assert broken == {"old": "PR703", "nope": "PR702"}


def test_a_raising_reader_is_reported_by_name_and_yaml_still_reads(
    readers: str, tmp_path: Path
) -> None:
    path = tmp_path / "cohort.boom"
    path.write_text("anything", encoding="utf-8")
    with pytest.raises(FactsError) as caught:
        read_facts(path)
    [error] = caught.value.errors
    assert error.code == "PR704"
    assert error.file == str(path)
    assert error.message == (
        "facts reader 'boom' (fake-readers) raised ValueError: cannot parse boom files"
    )
    assert len(read_facts(CAMAU_FACTS).units) == 3


def test_a_reader_returning_the_wrong_type_is_reported(readers: str, tmp_path: Path) -> None:
    path = tmp_path / "cohort.wrong"
    path.write_text("anything", encoding="utf-8")
    with pytest.raises(FactsError) as caught:
        read_facts(path)
    assert [e.code for e in caught.value.errors] == ["PR707"]
    assert "returned dict, not Facts" in caught.value.errors[0].message


def test_cli_reports_a_raising_reader_without_traceback(
    readers: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cohort.boom"
    path.write_text("anything", encoding="utf-8")
    assert main(["score", str(CAMAU), "--facts", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{path}:0:0: PR704 facts reader 'boom' (fake-readers) raised ValueError" in err


EXPORTERS = """
class Boom:
    api_version = 1
    suffix = ".boom"
    binary = False
    summary = "raises"
    def export(self, ruleset, cohort):
        raise RuntimeError("disk full of nonsense")

class Wrong(Boom):
    binary = True
    def export(self, ruleset, cohort):
        return "text, not bytes"
"""


def test_broken_exporters_are_reported_and_json_still_exports(fake_dist: FakeDist) -> None:
    from parindex_rules.diagnostics import DiagnosticError
    from parindex_rules.exporters import export

    entries = {"boom_export": "{module}:Boom", "wrong_export": "{module}:Wrong"}
    fake_dist("fake-exporters", {"exporters": entries}, EXPORTERS)
    ruleset = pr.load(CAMAU)
    cohort = ruleset.evaluate_cohort(pr.load_facts(CAMAU_FACTS))
    for name, code, text in [
        ("boom_export", "PR704", "exporter 'boom_export' (fake-exporters) raised RuntimeError"),
        ("wrong_export", "PR707", "returned str, not bytes"),
        ("jsn", "PR708", "no exporter named 'jsn'"),
    ]:
        with pytest.raises(DiagnosticError) as caught:
            export(name, ruleset, cohort)
        [error] = caught.value.errors
        assert error.code == code and text in error.message
    assert json.loads(export("json", ruleset, cohort))["ruleset"] == "camau-2013/so-trich"


def test_a_pack_whose_package_is_missing_is_reported_and_others_resolve(
    fake_dist: FakeDist, tmp_path: Path
) -> None:
    code = """
    from parindex_rules.loader.resolve import RulesetPack
    GHOST = RulesetPack(name="ghost", package="fake_plugin_no_such_package")
    """
    fake_dist("fake-packs", {"rulesets": {"ghost": "{module}:GHOST"}}, code)
    [info] = registry.broken("rulesets")
    assert info.error is not None
    assert info.error.code == "PR702"
    assert "cannot be opened" in info.error.message
    assert "builtin" in registry.names("rulesets")
    from parindex_rules.loader.resolve import known_ids

    known_ids()  # does not raise
