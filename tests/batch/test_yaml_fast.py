"""The C composer gives the same data and the same positions as the pure-Python one."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from parindex_rules.diagnostics import DiagnosticError
from parindex_rules.loader import yaml as loader

from ..conftest import ROOT
from .helpers import bench_module

pytestmark = pytest.mark.skipif(loader._CParser is None, reason="ruamel.yaml.clib not installed")


def outcome(text: str, *, fast: bool) -> Any:
    """What loading gives: the data and every position, or the diagnostics."""
    saved = loader._CParser
    if not fast:
        loader._CParser = None
    try:
        loaded = loader.load_yaml_text(text, "x.yaml")
        return ("ok", loaded.data, loaded.source_map.values, loaded.source_map.keys)
    except DiagnosticError as exc:
        return ("error", [d.format() for d in exc.diagnostics])
    finally:
        loader._CParser = saved


def same(text: str) -> None:
    assert outcome(text, fast=True) == outcome(text, fast=False)


def test_every_yaml_file_of_the_repository() -> None:
    files = [
        p
        for p in [*ROOT.glob("examples/**/*.yaml"), *ROOT.glob("rulesets/**/*.yaml")]
        if ".venv" not in p.parts
    ]
    assert files
    for path in files:
        same(path.read_text(encoding="utf-8"))


def test_the_bench_ruleset() -> None:
    same(bench_module().bench_ruleset().text)


text = st.text(
    alphabet=st.sampled_from(list("aăâđeêoôơuưy ĐẠTỳữ:-#'\"{}[],.%0123456789\t")), max_size=12
)
scalars = st.one_of(
    text,
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(text.filter(bool), inner, max_size=4)
    ),
    max_leaves=25,
)


@given(documents, st.sampled_from([None, True, False]))
def test_generated_documents(data: Any, flow: bool | None) -> None:
    yaml = YAML(typ="rt")
    yaml.default_flow_style = flow
    yaml.allow_unicode = True
    stream = io.StringIO()
    yaml.dump({"root": data}, stream)
    same(stream.getvalue())


@pytest.mark.parametrize(
    "text",
    [
        "a: [1, 2\nb: 3\n",  # syntax error: reported by the pure composer, as always
        "a:\n\tb: 1\n",  # a tab
        "[" * 3000 + "]" * 3000,  # deeper than the C composer is trusted with
        "- " * 2000 + "x\n",
        "a: b\u2028c: d\n",  # a line separator: the composers disagree on lines
        "a: &x 1\nb: *x\n",  # anchors and aliases are refused by the pure composer's rules
        "a: !!python/object 1\n",
    ],
)
def test_problems_are_reported_as_the_pure_composer_reports_them(text: str) -> None:
    assert outcome(text, fast=True)[0] == "error" or "\u2028" in text or "x\n" in text
    same(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",
        "a: &x [1, 2]\nb: *x\n",
        "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n",
        "a: !custom 1\n",
        "a: !!str 1\n",
        "formula: ratio(a, b) * max\nnote: 'x < 3 & y'\n",
    ],
)
def test_anchors_aliases_tags_and_merge_keys(text: str) -> None:
    same(text)
