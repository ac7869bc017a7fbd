"""Provisional content is impossible to miss: JSON flags (top level and per node), the first
line of every text output, and `validate` (one warning; with --strict one error per node)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import parindex_rules as pr

from ..conftest import EXAMPLES
from ._support import PROVINCE_IDS, cli_json, cli_text, ruleset, uniform_points, unit_facts

CAMAU = str(EXAMPLES / "camau-2013" / "ruleset.yaml")
CAMAU_FACTS = str(EXAMPLES / "camau-2013" / "facts.yaml")
SECOND = str(EXAMPLES / "chuyendoiso-huyen" / "ruleset.yaml")
SECOND_FACTS = str(EXAMPLES / "chuyendoiso-huyen" / "facts.yaml")
BANNER = "PROVISIONAL"

REFS = [*PROVINCE_IDS, SECOND]


def small_facts(ref: str, folder: Path) -> str:
    """One unit with full marks (written from the ruleset) — the example cohorts are large, and
    what is checked here is the output's form, not the cohort."""
    if ref == SECOND:
        return SECOND_FACTS
    rs = ruleset(ref)
    data = {
        "ruleset": ref,
        "year": rs.document.year,
        "units": [unit_facts(rs, uniform_points(rs, Decimal(1)), unit="don-vi-thu")],
    }
    path = folder / "facts.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("ref", REFS)
def test_json_flags_at_the_top_and_on_each_provisional_node(
    ref: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = small_facts(ref, tmp_path)
    rs = pr.load(ref)
    described = cli_json(capsys, "describe", ref, "--format", "json")
    assert described["provisional"] is True
    assert described["provenance"]["provisional_nodes"] == len(rs.compiled.provisional_nodes)
    scored = cli_json(capsys, "score", ref, "--facts", facts, "--format", "json")
    assert scored["provisional"] is True
    unit = scored["units"][0]
    assert unit["provisional"] is True
    assert len(unit["nodes"]) == len(rs.nodes) - 1
    for node_id, node in unit["nodes"].items():
        assert node["provisional"] is rs.node(node_id).rests_on_provisional
        if rs.node(node_id).provenance.is_provisional:
            assert node["provisional"] is True, node_id
    explained = cli_json(
        capsys, "explain", ref, "--facts", facts, "--unit", unit["unit"], "--format", "json"
    )
    assert explained["provisional"] is True
    assert explained["explanation"]["provisional"] is True
    assert all(child["provisional"] for child in explained["explanation"]["children"])


@pytest.mark.parametrize("ref", REFS)
def test_text_outputs_say_so_on_their_first_line(
    ref: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = small_facts(ref, tmp_path)
    unit = pr.load_facts(facts).units[0].unit
    outputs = [
        cli_text(capsys, "describe", ref),
        cli_text(capsys, "score", ref, "--facts", facts),
        cli_text(capsys, "explain", ref, "--facts", facts, "--unit", unit),
    ]
    for code, out, _err in outputs:
        assert code == 0
        assert out.splitlines()[0].startswith(BANNER), out.splitlines()[0]


#: Verbs whose output is not about one ruleset's content, and what they print instead.
NOT_A_RULESET_OUTPUT = {
    "list": "installed rulesets and plugins",
    "schema": "the JSON Schema of the file formats",
    "validate": "diagnostics on stderr (a provisional ruleset: PR230, tested below)",
    "fmt": "rewrites ruleset files in place; prints the names of the files it changed",
    "import-annex": "writes a new ruleset from an annex table; a summary on stderr",
}


def _text_runs(ref: str, facts: str, unit: str) -> dict[str, list[list[str]]]:
    """Every text output of every verb for the provisional ruleset `ref` (HTML ones below)."""
    return {
        "describe": [["describe", ref]],
        "score": [
            ["score", ref, "--facts", facts],
            ["score", ref, "--facts", facts, "--summary", "--stage", "self"],
            ["score", ref, "--facts", facts, "--exporter", "text"],
        ],
        "explain": [["explain", ref, "--facts", facts, "--unit", unit]],
        "rank": [["rank", ref, "--facts", facts]],
        "check": [["check", ref, "--facts", facts]],
        "why": [["why", ref, "--facts", facts, "--unit", unit]],
        "diff": [["diff", ref, ref], ["diff", CAMAU, ref], ["diff", ref, CAMAU]],
        "template": [["template", ref]],
        "docs": [["docs", ref]],
        "sensitivity": [
            ["sensitivity", ref, "--facts", facts, "--vary", "max:1=±1", "--replicates", "3"]
        ],
        "report": [],  # HTML only: below
    }


def _html_runs(ref: str, facts: str, unit: str, out: Path) -> list[tuple[list[str], Path]]:
    """Each HTML output: the command writing it into `out`, and the page to read back."""
    return [
        (["docs", ref, "--format", "html", "--out", str(out / "docs.html")], out / "docs.html"),
        (
            [
                *("explain", ref, "--facts", facts, "--unit", unit),
                *("--format", "html", "--out", str(out / "explain.html")),
            ],
            out / "explain.html",
        ),
        (
            ["score", ref, "--facts", facts, "--exporter", "html", "--out", str(out / "s.html")],
            out / "s.html",
        ),
        (["report", ref, "--facts", facts, "--out", str(out / "r")], out / "r" / "index.html"),
    ]


def _first_line_says_provisional(text: str) -> bool:
    """The first line, past the markup that keeps the file valid (a YAML comment ``# ``, a
    Markdown quote ``> **``), begins with the banner."""
    first = text.splitlines()[0]
    plain = first.removeprefix("# ").removeprefix("> **")
    return plain.startswith(BANNER) or plain.startswith("TẠM THỜI (PROVISIONAL)")


def test_every_verb_says_provisional_on_its_first_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every text output of every verb, for a provisional ruleset, starts with the banner;
    HTML pages open their body with it (their first line is the doctype)."""
    from parindex_rules.cli import build_parser

    ref = "vinhlong-2023/so"
    facts = small_facts(ref, tmp_path)
    unit = pr.load_facts(facts).units[0].unit
    runs = _text_runs(ref, facts, unit)
    parser = build_parser()
    verbs = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert verbs == set(runs) | set(NOT_A_RULESET_OUTPUT), "a new verb: add its text output"
    for argv in [argv for each in runs.values() for argv in each]:
        code, out, err = cli_text(capsys, *argv)
        assert code == 0, (argv, err)
        assert _first_line_says_provisional(out), (argv, out.splitlines()[:3])
    for argv, page in _html_runs(ref, facts, unit, tmp_path):
        code, _out, err = cli_text(capsys, *argv)
        assert code == 0, (argv, err)
        html = page.read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>"), argv
        body = html.split("<body>", 1)[1].lstrip()
        assert body.startswith("<div class=") and 'role="alert">' in body.split("\n", 1)[0], argv
        assert "PROVISIONAL" in body.split("\n", 1)[0], argv


def test_an_official_ruleset_has_no_banner(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["describe", CAMAU],
        ["score", CAMAU, "--facts", CAMAU_FACTS, "--summary"],
        ["explain", CAMAU, "--facts", CAMAU_FACTS, "--unit", "don-vi-a"],
    ):
        code, out, _err = cli_text(capsys, *argv)
        assert code == 0 and BANNER not in out


#: The provisional settings of each ruleset, read off its YAML by hand: every `provisional:`
#: that is not a node's own.
SETTINGS = {
    "vinhlong-2023/so": [
        "rounding",
        "policies.evidence",
        "policies.unappraised",
        "workflow.deadlines[1].inclusive",  # "trước ngày 15/01": is 15/01 itself late?
    ],
    "vinhlong-2023/huyen": [
        "rounding",
        "policies.evidence",
        "policies.unappraised",
        "workflow.deadlines[1].inclusive",
    ],
    "vinhlong-2023/xa": ["rounding", "policies.evidence", "policies.unappraised"],
    "hanoi-2023/so": [
        "declared",  # the borrowed 3598 shape
        "rounding",
        "policies.not_applicable",
        "policies.unappraised",
        "ranking",
    ],
    "hanoi-2023/quan-huyen": [
        "declared",
        "rounding",
        "policies.not_applicable",
        "policies.unappraised",
        "ranking",
    ],
    **{
        f"quangtri-2019/{name}": [
            "rounding",
            "policies.not_applicable",  # dividing by the applicable maximum: a reading
            "policies.unappraised",
            "ranking",
            "classes[0]",
            "classes[1]",
            "classes[2]",
            "classes[3]",
            "workflow.deadlines[0].inclusive",  # "trước ngày 30/11": is 30/11 itself late?
            *(["workflow.appraisal[0]"] if name == "xa" else []),
        ]
        for name in ("so", "huyen", "xa")
    },
    SECOND: [],
}


@pytest.mark.parametrize("ref", REFS)
def test_strict_validation_fails_node_by_node(ref: str, capsys: pytest.CaptureFixture[str]) -> None:
    rs = pr.load(ref)
    provisional = rs.compiled.provisional_nodes
    readings = rs.compiled.provisional_readings
    settings = rs.compiled.provisional_settings
    assert rs.compiled.provisional_derived == []
    code, _out, err = cli_text(capsys, "validate", "--strict", ref)
    assert code == 1
    every = err.splitlines()
    # One line per provisional node, reading of a rule and setting: nothing else.
    assert len(every) == len(provisional) + len(readings) + len(settings)
    assert len(every) == len(provisional) + len(readings) + len(SETTINGS[ref])
    assert all(" PR230 " in line and "[warning]" not in line for line in every)
    # Readings of silent rule text, one line each, at the reading itself.
    assert sum(" a provisional reading of the rule: " in line for line in every) == len(readings)
    # Settings (policies, ranking, classes, workflow, ...), one line each, at the setting's key.
    named = [line.split(" PR230 setting ")[1].split(" is provisional: ")[0] for line in every
             if " PR230 setting " in line]  # fmt: skip
    assert named == SETTINGS[ref]
    for line, (path, _why) in zip(
        [line for line in every if " PR230 setting " in line], settings, strict=True
    ):
        _file, row, column = rs.compiled.source_map.position(path, key=True)
        assert line.startswith(f"{rs.file}:{row}:{column}: PR230 setting ")
    lines = [line for line in every if " PR230 node " in line]
    # One line per node, each at that node's own place in the file.
    assert {line.split(": PR230")[0].rsplit(":", 1)[0] for line in lines} == {
        f"{rs.file}:{n.line}" for n in provisional
    }
    assert sorted(line.split("node ")[1].split(" is provisional")[0] for line in lines) == sorted(
        n.id or "total" for n in provisional
    )


@pytest.mark.parametrize("ref", REFS)
def test_plain_validation_warns_once(ref: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = cli_text(capsys, "validate", ref)
    assert code == 0
    (line,) = err.splitlines()
    assert " PR230 [warning] " in line and "is provisional" in line
    # The one warning counts the settings too.
    count = len(SETTINGS[ref])
    assert (f"{count} provisional setting(s)" in line) is (count > 0)


def test_strict_validation_passes_on_the_camau_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli_text(capsys, "validate", "--strict", CAMAU)
    assert (code, out, err) == (0, "", "")


def test_provisional_counts_by_ruleset() -> None:
    """Every node except a sourced root is provisional (the annexes are not available)."""
    expected = {
        "vinhlong-2023/so": (1, 141),
        "vinhlong-2023/huyen": (1, 154),
        "vinhlong-2023/xa": (1, 122),
        "hanoi-2023/so": (0, 31),
        "hanoi-2023/quan-huyen": (0, 31),
        "quangtri-2019/so": (0, 50),
        "quangtri-2019/huyen": (0, 50),
        "quangtri-2019/xa": (0, 50),
    }
    for ruleset_id, (sourced, provisional) in expected.items():
        provenance = ruleset(ruleset_id).describe()["provenance"]
        assert (provenance["sourced_nodes"], provenance["provisional_nodes"]) == (
            sourced,
            provisional,
        ), ruleset_id
        assert provenance["provisional_points"] == "100"
        assert provenance["provisional_settings"] == len(SETTINGS[ruleset_id]), ruleset_id
