"""`parindex list`: rulesets and plugins with where they come from; broken ones diagnosed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import parindex_rules as pr
from parindex_rules.cli import main

from .conftest import FakeDist

PACK = """
from parindex_rules.loader.resolve import RulesetPack
PACK = RulesetPack(name="fake-pack", package=__name__, folder="rulesets")
"""

RULESET = """\
# A ruleset shipped by a fake pack.
id: fake-2024/xa
title: "Bộ tiêu chí giả định: cấp xã"
province: Giả định
level: xa
year: 2024
decision: {number: "0"}
max: 1
provisional: kiểm thử
fields:
  - id: "1"
    name: Lĩnh vực
    max: 1
    rule: quy tắc
    provisional: kiểm thử
    scoring: {method: points}
"""


def _pack(fake_dist: FakeDist, tmp_path: Path) -> Path:
    """Install a fake pack shipping `fake-2024/xa`; returns that ruleset's file."""
    module = fake_dist(
        "fake-pack-dist", {"rulesets": {"fake": "{module}:PACK"}}, PACK, package=True
    )
    folder = tmp_path / module / "rulesets" / "fake-2024"
    folder.mkdir(parents=True)
    (folder / "xa.yaml").write_text(RULESET, encoding="utf-8")
    (folder / "examples").mkdir()  # examples beside rulesets are not rulesets
    (folder / "examples" / "xa-cohort.yaml").write_text("units: []\n", encoding="utf-8")
    return folder / "xa.yaml"


def test_a_pack_ships_rulesets_under_its_own_ids(fake_dist: FakeDist, tmp_path: Path) -> None:
    _pack(fake_dist, tmp_path)
    ruleset = pr.load("fake-2024/xa")
    assert ruleset.title == "Bộ tiêu chí giả định: cấp xã"
    assert ruleset.id == "fake-2024/xa"


def test_a_plugin_rulesets_diagnostics_name_its_file_on_disk(
    fake_dist: FakeDist, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Loaded by id, a pack's ruleset is still shown by its file, so FILE:LINE:COL opens: the
    provisional warning sits at the ruleset's `id:` (line 2 of RULESET: the comment is line 1)."""
    file = _pack(fake_dist, tmp_path)
    ruleset = pr.load("fake-2024/xa")
    assert Path(ruleset.file).resolve() == file.resolve()
    field_line = RULESET.splitlines().index('  - id: "1"') + 1
    assert ruleset.node("1").location == f"{ruleset.file}:{field_line}"
    assert main(["validate", "fake-2024/xa"]) == 0
    (line,) = capsys.readouterr().err.splitlines()
    where, _, message = line.partition(": PR230 [warning] ")
    assert message.startswith("ruleset fake-2024/xa is provisional")
    path, row, column = where.rsplit(":", 2)
    assert Path(path).resolve() == file.resolve()
    assert (row, column) == ("2", "1")
    assert file.read_text(encoding="utf-8").splitlines()[1] == "id: fake-2024/xa"


def test_list_json_shows_rulesets_plugins_and_builtins(
    fake_dist: FakeDist, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _pack(fake_dist, tmp_path)
    assert main(["list", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    data = json.loads(captured.out)
    assert data["api_version"] == 1 and data["parindex_rules"] == pr.__version__
    [entry] = [r for r in data["rulesets"] if r["id"] == "fake-2024/xa"]
    assert entry == {
        "id": "fake-2024/xa",
        "title": "Bộ tiêu chí giả định: cấp xã",
        "pack": "fake",
        "distribution": "fake-pack-dist",
        "version": "1.0",
    }
    assert not [r for r in data["rulesets"] if "examples" in r["id"]]
    packs = {p["name"]: p for p in data["packs"]}
    assert packs["fake"]["package"].startswith("fake_plugin_")
    assert packs["builtin"]["distribution"] == "parindex-rules"
    points = next(m for m in data["methods"] if m["name"] == "points")
    assert points["distribution"] == "parindex-rules"
    assert points["object"] == "parindex_rules.methods.points:PointsMethod"
    assert points["reads"] == "assessment"
    yaml_reader = next(r for r in data["readers"] if r["name"] == "yaml")
    assert yaml_reader["suffixes"] == [".yaml", ".yml", ".json"]
    assert (data["broken"], data["warnings"]) == ([], [])


BROKEN = """
from decimal import Decimal
from parindex_rules.methods.base import Outcome, ScoringMethod

class Old(ScoringMethod):
    api_version = 0
    def evaluate(self, ctx):
        return Outcome(score=Decimal(0))
"""


def test_list_shows_broken_plugins_and_exits_1(
    fake_dist: FakeDist, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = {"old": "{module}:Old", "gone": "fake_plugin_not_there:X", "points": "{module}:Old"}
    fake_dist("fake-broken", {"methods": entries}, BROKEN, version="0.3")
    assert main(["list", "--format", "json"]) == 1
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    broken = {(b["group"], b["name"]): b for b in data["broken"]}
    assert set(broken) == {("methods", "old"), ("methods", "gone"), ("methods", "points")}
    assert broken[("methods", "old")]["error"]["code"] == "PR703"
    assert broken[("methods", "gone")]["error"]["code"] == "PR701"
    assert broken[("methods", "gone")]["distribution"] == "fake-broken"
    assert broken[("methods", "gone")]["version"] == "0.3"
    assert "points" in {m["name"] for m in data["methods"]}  # the built-in still works
    assert "<plugin fake-broken:gone>:0:0: PR701 plugin fake-broken:gone: cannot be imported" in (
        captured.err
    )
    assert "Traceback" not in captured.err

    assert main(["list"]) == 1
    text = capsys.readouterr().out
    assert "Broken plugins (3): not loaded" in text
    [row] = [line for line in text.splitlines() if line.startswith("methods  gone")]
    assert "fake-broken 0.3" in row and "PR701" in row


GOOD = """
from decimal import Decimal
from parindex_rules.methods.base import Outcome, ScoringMethod

class Good(ScoringMethod):
    api_version = 1
    def evaluate(self, ctx):
        return Outcome(score=Decimal(0))
"""


def test_list_warns_of_a_name_clash_and_exits_0(
    fake_dist: FakeDist, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_dist("fake-clash", {"methods": {"choice": "{module}:Good"}}, GOOD)
    assert main(["list"]) == 0
    captured = capsys.readouterr()
    assert "Warnings (1)" in captured.out
    assert "PR705 methods 'choice' is registered by both parindex-rules and fake-clash" in (
        captured.out
    )
    assert "PR705 [warning]" in captured.err


def test_list_text_heads_every_column(capsys: pytest.CaptureFixture[str]) -> None:
    """Each table's header names every column: the signature of functions, the suffixes of
    readers, the suffix of exporters (an empty header left a column unexplained)."""
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    headers = {}
    for i, line in enumerate(lines):
        if i + 1 < len(lines) and lines[i + 1] and set(lines[i + 1].replace(" ", "")) == {"-"}:
            headers[lines[i - 1].split(" (")[0]] = line.split()
            # As many header words as dashed columns: none is blank.
            assert len(line.split()) == len(lines[i + 1].split()), line
    assert headers["Formula functions"] == ["name", "signature", "from", "summary"]
    assert headers["Facts readers"] == ["name", "suffixes", "from", "summary"]
    assert headers["Exporters"] == ["name", "suffix", "from", "summary"]
    assert headers["Scoring methods"] == ["name", "from", "summary"]
    [row] = [line for line in lines if line.startswith("round ")]
    assert row.split()[:2] == ["round", "round(x,"]
