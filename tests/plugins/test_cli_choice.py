"""Readers and exporters are chosen by name on the command line, built-in or a plugin's alike.

Issue 7: "nothing built in is special". Every verb that reads ``--facts`` takes ``--reader NAME``
(through one helper, cli/common.py), and ``score --exporter NAME`` writes the results with any
installed exporter through ``exporters.export`` (an unknown name is PR708, a broken exporter
PR704/PR707, never a traceback, and nothing is written).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from importlib import metadata
from pathlib import Path

import pytest

import parindex_rules as pr
from parindex_rules.cli import build_parser, main
from parindex_rules.exporters import export, exporters
from parindex_rules.readers import read_facts

from ..conftest import EXAMPLES, ROOT
from .conftest import FakeDist

CAMAU = str(EXAMPLES / "camau-2013" / "ruleset.yaml")
CAMAU_FACTS = str(EXAMPLES / "camau-2013" / "facts.yaml")
DEMO_ID = "demo-2024/so"


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def _subparsers() -> dict[str, list[str]]:
    """Each verb and its option strings."""
    parser = build_parser()
    verbs: dict[str, list[str]] = {}
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        for name, sub in action.choices.items():
            verbs[name] = [o for a in sub._actions for o in a.option_strings]
    return verbs


def _reads_facts(verb: str) -> bool:
    """`--facts FILE` (schema's `--facts` is a switch: the facts format's schema)."""
    parser = build_parser()
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        sub = action.choices[verb]
        for a in sub._actions:
            if "--facts" in a.option_strings:
                return a.nargs is None and a.const is None
    return False


#: Each verb that reads facts, run on the demo cohort (the file name is put in for FACTS).
VERB_RUNS = {
    "score": ["score", DEMO_ID, "--facts", "FACTS", "--format", "json"],
    "explain": ["explain", DEMO_ID, "--facts", "FACTS", "--unit", "so-b", "--format", "json"],
    "rank": ["rank", DEMO_ID, "--facts", "FACTS", "--format", "json"],
    "check": ["check", DEMO_ID, "--facts", "FACTS", "--format", "json"],
    "why": ["why", DEMO_ID, "--facts", "FACTS", "--unit", "so-b", "--format", "json"],
    "report": ["report", DEMO_ID, "--facts", "FACTS", "--format", "xlsx", "--out", "OUT"],
    "sensitivity": [
        *("sensitivity", DEMO_ID, "--facts", "FACTS", "--vary", "max:1.1=±0.25"),
        *("--replicates", "10", "--format", "json"),
    ],
}


def test_every_verb_reading_facts_takes_reader() -> None:
    reading = {verb for verb in _subparsers() if _reads_facts(verb)}
    assert reading == set(VERB_RUNS), "a verb reads --facts: add it to VERB_RUNS"
    for verb in reading:
        assert "--reader" in _subparsers()[verb], verb


def _argv(run: list[str], facts: Path, out: Path) -> list[str]:
    return [str(facts) if p == "FACTS" else str(out) if p == "OUT" else p for p in run]


@pytest.mark.parametrize("verb", sorted(VERB_RUNS))
def test_reader_named_on_the_command_line(demo: Path, tmp_path: Path, verb: str) -> None:
    """A province's JSON-lines export saved as .ndjson, a suffix no reader claims: refused
    (PR801, suggesting --reader), then read by the demo plugin's `jsonl` reader when named,
    with the very output the .jsonl file gives."""
    original = demo / "examples" / "so-cohort.jsonl"
    renamed = tmp_path / "export.ndjson"
    shutil.copyfile(original, renamed)
    run = VERB_RUNS[verb]
    code, _out, err = _run(*_argv(run, renamed, tmp_path / "a.xlsx"))
    assert code == 1
    assert f"{renamed}:0:0: PR801 no facts reader for .ndjson" in err
    assert "--reader" in err
    code, named, err = _run(*_argv(run, renamed, tmp_path / "b.xlsx"), "--reader", "jsonl")
    assert code == 0, err
    code, by_suffix, err = _run(*_argv(run, original, tmp_path / "c.xlsx"))
    assert code == 0, err
    names = {str(renamed): "F", str(original): "F", str(tmp_path / "b.xlsx"): "O"}
    names[str(tmp_path / "c.xlsx")] = "O"
    for name, short in names.items():
        named, by_suffix = named.replace(name, short), by_suffix.replace(name, short)
    assert named == by_suffix
    if verb == "report":
        assert (tmp_path / "b.xlsx").read_bytes() == (tmp_path / "c.xlsx").read_bytes()
    if verb == "score":
        units = {u["unit"]: u["score"] for u in json.loads(named)["units"]}
        assert units == {"so-a": "2.50", "so-b": "1.75", "so-c": "1.00"}


def test_an_unknown_reader_name_is_pr801_with_did_you_mean() -> None:
    code, out, err = _run("score", CAMAU, "--facts", CAMAU_FACTS, "--reader", "yml")
    assert (code, out) == (1, "")
    assert f"{CAMAU_FACTS}:0:0: PR801 no facts reader named 'yml'" in err
    assert "did you mean 'yaml'?" in err


def test_reader_with_scores_csv_is_bad_usage() -> None:
    code, _out, err = _run("rank", "--scores", "x.csv", "--reader", "csv")
    assert code == 2 and "--reader applies to --facts" in err


# -- exporters


def _cohort() -> tuple[pr.Ruleset, pr.CohortResult]:
    ruleset = pr.load(CAMAU)
    return ruleset, ruleset.evaluate_cohort(read_facts(CAMAU_FACTS, ruleset=ruleset))


@pytest.mark.parametrize("name", ["json", "text", "html"])
def test_each_text_exporter_prints_what_export_gives(name: str) -> None:
    """score --exporter NAME prints exactly exporters.export(NAME, ...)."""
    ruleset, cohort = _cohort()
    code, out, err = _run("score", CAMAU, "--facts", CAMAU_FACTS, "--exporter", name)
    assert code == 0, err
    expected = export(name, ruleset, cohort)
    assert isinstance(expected, str)
    assert out.rstrip("\n") == expected.rstrip("\n")
    if name == "json":
        assert json.loads(out)["ruleset"] == "camau-2013/so-trich"


def test_a_binary_exporter_needs_out_and_writes_the_file(tmp_path: Path) -> None:
    code, out, err = _run("score", CAMAU, "--facts", CAMAU_FACTS, "--exporter", "xlsx")
    assert (code, out) == (2, "")
    assert "exporter 'xlsx' writes a binary file: give --out FILE.xlsx" in err
    target = tmp_path / "ket-qua.xlsx"
    code, _out, err = _run(
        "score", CAMAU, "--facts", CAMAU_FACTS, "--exporter", "xlsx", "--out", str(target)
    )
    assert code == 0, err
    ruleset, cohort = _cohort()
    assert target.read_bytes() == export("xlsx", ruleset, cohort)
    assert target.read_bytes()[:2] == b"PK"


def test_an_unknown_exporter_is_pr708_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out, err = _run(
        "score", CAMAU, "--facts", CAMAU_FACTS, "--exporter", "jsn", "--out", str(target)
    )
    assert (code, out) == (1, "")
    assert "<exporters>:0:0: PR708 no exporter named 'jsn'" in err
    assert "did you mean 'json'?" in err and "installed: html, json, text, xlsx" in err
    assert not target.exists()


def test_exporter_with_another_output_option_is_bad_usage() -> None:
    for extra in (["--format", "json"], ["--summary"], ["--lost"], ["--changes"]):
        code, _out, err = _run("score", CAMAU, "--facts", CAMAU_FACTS, "--exporter", "json", *extra)
        assert code == 2, extra
        assert f"drop {extra[0]}" in err


PLUGIN_EXPORTERS = """
import csv, io

class Csv:
    api_version = 1
    suffix = ".csv"
    binary = False
    summary = "unit and index as CSV"
    def export(self, ruleset, cohort):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\\n")
        writer.writerow(["unit", "index"])
        for unit in cohort.units:
            writer.writerow([unit.unit, unit.rounded(unit.index)])
        return out.getvalue()

class Boom(Csv):
    def export(self, ruleset, cohort):
        raise RuntimeError("disk full of nonsense")

class Wrong(Csv):
    binary = True
    def export(self, ruleset, cohort):
        return "text, not bytes"
"""


def test_a_plugin_exporter_is_used_like_a_builtin(fake_dist: FakeDist, tmp_path: Path) -> None:
    """A third-party exporter, installed as a distribution, is chosen by name like json or
    xlsx. Its rows are the units and indices the JSON exporter gives, in the same order."""
    entries = {"csv_index": "{module}:Csv", "boom": "{module}:Boom", "wrong": "{module}:Wrong"}
    fake_dist("fake-exporters", {"exporters": entries}, PLUGIN_EXPORTERS)
    assert {"csv_index", "boom", "wrong"} <= set(exporters())
    target = tmp_path / "chi-so.csv"
    argv = ["score", CAMAU, "--facts", CAMAU_FACTS, "--exporter", "csv_index"]
    code, _out, err = _run(*argv, "--out", str(target))
    assert code == 0, err
    rows = target.read_text(encoding="utf-8").splitlines()
    _code, as_json, _err = _run("score", CAMAU, "--facts", CAMAU_FACTS, "--exporter", "json")
    indices = [(u["unit"], u["index"]) for u in json.loads(as_json)["units"]]
    assert rows == ["unit,index", *(f"{u},{i}" for u, i in indices)]
    # Broken ones: a diagnostic naming the plugin, exit 1, the previous file untouched.
    for name, expected in [
        ("boom", "PR704 exporter 'boom' (fake-exporters) raised RuntimeError"),
        ("wrong", "PR707 exporter 'wrong' (fake-exporters) returned str, not bytes"),
    ]:
        code, out, err = _run(*argv[:-1], name, "--out", str(target))
        assert (code, out) == (1, ""), name
        assert f"<exporters>:0:0: {expected}" in err
        assert "Traceback" not in err and "internal error" not in err
        assert target.read_text(encoding="utf-8").splitlines() == rows


def test_docs_plugins_lists_the_builtins_as_registered() -> None:
    """docs/plugins.md's table of groups names exactly the built-in readers and exporters that
    pyproject.toml registers (it listed one reader and two exporters when there were more)."""
    registered = metadata.distribution("parindex-rules").entry_points
    doc = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    for group in ("readers", "exporters", "methods", "functions"):
        [row] = [
            line for line in doc.splitlines() if line.startswith(f"| `parindex_rules.{group}`")
        ]
        named = set(re.findall(r"`([a-z_]+)`", row.rsplit("|", 2)[1]))
        assert named == {e.name for e in registered if e.group == f"parindex_rules.{group}"}, group
