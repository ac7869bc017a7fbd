"""`extends:`: a ruleset written as another one plus changes compiles to the ruleset written out
in full, and every diagnostic points into the file that wrote the content."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import parindex_rules as pr
from parindex_rules.authoring.inherit import expanded_yaml, to_yaml
from parindex_rules.authoring.snapshot import snapshot
from parindex_rules.cli import main
from parindex_rules.diagnostics import RulesetError
from parindex_rules.loader.yaml import load_yaml_text

from .conftest import CAMAU, CAMAU_FACTS, line_of, relative

CHILD = """\
# Năm 2014 (ví dụ): như năm 2013, trừ các thay đổi dưới đây.
extends:
  ruleset: {base}
  remove: ["1.2.2"]
id: camau-2014/so-trich
year: 2014
max: 6
documents:
  hd2014: {{title: Hướng dẫn chấm điểm năm 2014 (ví dụ)}}
fields:
  - id: "1"
    max: 6
    criteria:
      - id: "1.1"
        max: 4
        subcriteria:
          - id: "1.1.1"
            name: Ban hành kế hoạch CCHC năm 2014
          - id: "1.1.4"
            max: 1
            rule: "Thực hiện từ 80% kế hoạch trở lên: 1 · Dưới 80% kế hoạch: 0"
            provisional: Ví dụ giả định cho tài liệu hướng dẫn, không phải quy định thật.
            scoring:
              method: bands
              input: ty_le_thuc_hien
              bands:
                - {{from: 80, points: 1, label: Thực hiện từ 80% kế hoạch trở lên}}
                - {{below: 80, points: 0, label: Dưới 80% kế hoạch}}
      - id: "1.2"
        max: 1
      - id: "1.3"
        name: Tự kiểm tra CCHC
        max: 1
        rule: "Có kế hoạch tự kiểm tra: 1 · Không có: 0"
        source: {{document: hd2014, row: "1.3", quote: "Có kế hoạch tự kiểm tra: 1"}}
        scoring:
          method: choice
          options:
            - {{key: co, label: Có kế hoạch tự kiểm tra, points: 1}}
            - {{key: khong, label: Không có, points: 0}}
"""


def write_child(folder: Path, text: str = CHILD, name: str = "child.yaml") -> Path:
    path = folder / name
    path.write_text(text.format(base=relative(CAMAU, folder)), encoding="utf-8")
    return path


def written_out_by_hand() -> dict[str, Any]:
    """The 2014 ruleset written in full: the 2013 data with the same changes made by hand."""
    data = copy.deepcopy(load_yaml_text(CAMAU.read_text(encoding="utf-8"), "base").data)
    data["id"] = "camau-2014/so-trich"
    data["year"] = 2014
    data["max"] = 6
    data["documents"]["hd2014"] = {"title": "Hướng dẫn chấm điểm năm 2014 (ví dụ)"}
    field = data["fields"][0]
    field["max"] = 6
    c11, c12 = field["criteria"]
    c11["max"] = 4
    c11["subcriteria"][0]["name"] = "Ban hành kế hoạch CCHC năm 2014"
    leaf = c11["subcriteria"][3]
    leaf["max"] = 1
    leaf["rule"] = "Thực hiện từ 80% kế hoạch trở lên: 1 · Dưới 80% kế hoạch: 0"
    del leaf["source"]
    leaf["provisional"] = "Ví dụ giả định cho tài liệu hướng dẫn, không phải quy định thật."
    leaf["scoring"] = {
        "method": "bands",
        "input": "ty_le_thuc_hien",
        "bands": [
            {"from": 80, "points": 1, "label": "Thực hiện từ 80% kế hoạch trở lên"},
            {"below": 80, "points": 0, "label": "Dưới 80% kế hoạch"},
        ],
    }
    c12["max"] = 1
    c12["subcriteria"] = c12["subcriteria"][:1]
    field["criteria"].append(
        {
            "id": "1.3",
            "name": "Tự kiểm tra CCHC",
            "max": 1,
            "rule": "Có kế hoạch tự kiểm tra: 1 · Không có: 0",
            "source": {"document": "hd2014", "row": "1.3", "quote": "Có kế hoạch tự kiểm tra: 1"},
            "scoring": {
                "method": "choice",
                "options": [
                    {"key": "co", "label": "Có kế hoạch tự kiểm tra", "points": 1},
                    {"key": "khong", "label": "Không có", "points": 0},
                ],
            },
        }
    )
    return data


def test_extending_form_compiles_to_the_ruleset_written_out_in_full(tmp_path: Path) -> None:
    extending = pr.load(write_child(tmp_path))
    full = tmp_path / "full.yaml"
    full.write_text(to_yaml(written_out_by_hand()), encoding="utf-8")
    by_hand = pr.load(full)
    assert snapshot(extending) == snapshot(by_hand)
    # The changes are really there (not two copies of the base).
    nodes = extending.nodes
    expected = ["total", "1", "1.1", "1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.2", "1.2.1", "1.3"]
    assert list(nodes) == expected
    assert nodes["1.1.1"].name == "Ban hành kế hoạch CCHC năm 2014"
    assert nodes["1.1.4"].provenance.provisional is not None
    assert nodes["1.1.4"].provenance.source is None
    assert extending.provisional


def test_describe_expanded_prints_a_ruleset_that_compiles_the_same(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    child = write_child(tmp_path)
    assert main(["describe", "--expanded", str(child)]) == 0
    text = capsys.readouterr().out
    assert "extends" not in text
    assert "# Năm 2014" not in text  # the expansion is a new file, not the child's text
    assert 'id: "1.3"' in text and "name: Ban hành kế hoạch CCHC năm 2014" in text
    # The child is provisional (1.1.4): the banner is the first line, as a YAML comment.
    first, rest = text.split("\n", 1)
    assert first.startswith("# PROVISIONAL — ruleset camau-2014/so-trich ")
    expanded = tmp_path / "expanded.yaml"
    expanded.write_text(text, encoding="utf-8")
    assert snapshot(pr.load(expanded)) == snapshot(pr.load(child))
    assert expanded_yaml(child) == rest


def test_describe_expanded_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The expanded document as JSON, under `document`, with `ruleset` and `provisional` at
    the top; the document is itself a ruleset (JSON is YAML) that compiles the same."""
    child = write_child(tmp_path)
    assert main(["describe", "--expanded", "--format", "json", str(child)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"ruleset", "provisional", "document"}
    assert (data["ruleset"], data["provisional"]) == ("camau-2014/so-trich", True)
    document = data["document"]
    assert "extends" not in document and document["id"] == "camau-2014/so-trich"
    assert [f["id"] for f in document["fields"]] == ["1"]
    written = tmp_path / "expanded.json"
    written.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert snapshot(pr.load(written)) == snapshot(pr.load(child))


def test_inherited_and_overridden_nodes_keep_their_own_file_and_line(tmp_path: Path) -> None:
    child = write_child(tmp_path)
    ruleset = pr.load(child)
    inherited = ruleset.node("1.1.2")
    assert Path(inherited.file).resolve() == CAMAU.resolve()
    assert inherited.line == line_of(CAMAU, 'id: "1.1.2"')
    overridden = ruleset.node("1.1.4")
    assert overridden.file == str(child)
    assert overridden.line == line_of(child, 'id: "1.1.4"')
    added = ruleset.node("1.3")
    assert (added.file, added.line) == (str(child), line_of(child, 'id: "1.3"'))
    # The explanation of a unit's score names the same places.
    facts = pr.load_facts(CAMAU_FACTS)
    unit = facts.unit("don-vi-b")
    data = facts.document.model_dump(by_alias=True, mode="json")
    data["ruleset"], data["year"] = "camau-2014/so-trich", 2014
    del data["units"][1]["items"]["1.2.2"]
    cohort = ruleset.evaluate_cohort(data)
    result = cohort.unit(unit.unit)
    assert result.node("1.1.2").explain().location == f"{inherited.file}:{inherited.line}"
    assert result.node("1.1.4").explain().location == f"{child}:{overridden.line}"


def test_error_in_inherited_content_points_into_the_base_file(tmp_path: Path) -> None:
    """Removing 1.1.4 (2 points) without lowering 1.1 leaves 1.1's maximum, written in the
    base file, above its children's sum: the diagnostic names the base file and line."""
    text = """\
extends: {{ruleset: {base}, remove: ["1.1.4"]}}
id: camau-2014/so-trich
"""
    child = write_child(tmp_path, text)
    with pytest.raises(RulesetError) as caught:
        pr.load(child)
    sums = [d for d in caught.value.diagnostics if d.code == "PR204"]
    assert [(Path(d.file).resolve(), d.line) for d in sums] == [
        (CAMAU.resolve(), line_of(CAMAU, "max: 5", after='id: "1.1"'))
    ]
    assert "1.1: maximum 5, but its children add up to 3" in sums[0].message


def test_error_in_overridden_content_points_into_the_extending_file(tmp_path: Path) -> None:
    text = CHILD.replace(
        "            max: 1\n            rule:", "            max: 2\n            rule:"
    )
    text = text.replace('      - id: "1.2"\n        max: 1', '      - id: "1.2"\n        mx: 1')
    child = write_child(tmp_path, text)
    with pytest.raises(RulesetError) as caught:
        pr.load(child)
    found = {(d.code, d.file, d.line) for d in caught.value.diagnostics}
    assert ("PR101", str(child), line_of(child, "mx: 1")) in found


def test_sum_error_on_an_overridden_maximum_points_into_the_extending_file(
    tmp_path: Path,
) -> None:
    child = write_child(tmp_path, CHILD.replace("        max: 4\n", "        max: 5\n"))
    with pytest.raises(RulesetError) as caught:
        pr.load(child)
    sums = [(d.code, d.file, d.line) for d in caught.value.diagnostics if d.code == "PR204"]
    assert ("PR204", str(child), line_of(child, "max: 5")) in sums


def test_cycle_is_an_error_that_spells_the_chain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.yaml").write_text("extends: ./b.yaml\nid: x-2020/a\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: ./a.yaml\nid: x-2020/b\n", encoding="utf-8")
    with pytest.raises(RulesetError) as caught:
        pr.load(tmp_path / "a.yaml")
    [problem] = caught.value.diagnostics
    assert problem.code == "PR020"
    a, b = (str((tmp_path / n).resolve()) for n in ("a.yaml", "b.yaml"))
    assert problem.message.endswith(f"{a} → {b} → {a}")
    assert (problem.file, problem.line) == (str((tmp_path / "b.yaml").resolve()), 1)
    assert main(["validate", str(tmp_path / "a.yaml")]) == 1
    assert "PR020" in capsys.readouterr().err


def test_a_ruleset_cannot_extend_itself(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("id: x-2020/a\nextends: a.yaml\n", encoding="utf-8")
    with pytest.raises(RulesetError) as caught:
        pr.load(tmp_path / "a.yaml")
    assert [d.code for d in caught.value.diagnostics] == ["PR020"]
    assert caught.value.diagnostics[0].line == 2


def test_removing_an_unknown_id_is_located(tmp_path: Path) -> None:
    text = 'extends:\n  ruleset: {base}\n  remove: ["1.2.2", "1.9"]\nid: camau-2014/so-trich\n'
    child = write_child(tmp_path, text)
    with pytest.raises(RulesetError) as caught:
        pr.load(child)
    codes = [(d.code, d.line, d.column) for d in caught.value.diagnostics if d.code == "PR021"]
    assert codes == [("PR021", 3, 21)]  # the column of "1.9"


def test_unknown_base_and_misspelt_key_are_located(tmp_path: Path) -> None:
    child = tmp_path / "child.yaml"
    child.write_text("id: x-2020/a\nextends: ./missing.yaml\n", encoding="utf-8")
    with pytest.raises(RulesetError) as caught:
        pr.load(child)
    [problem] = caught.value.diagnostics
    assert (problem.code, problem.line, problem.column) == ("PR010", 2, 10)
    child.write_text("extends: {ruleset: base.yaml, remov: []}\n", encoding="utf-8")
    with pytest.raises(RulesetError) as caught:
        pr.load(child)
    [problem] = caught.value.diagnostics
    assert problem.code == "PR101" and problem.hint == "did you mean 'remove'?"
    child.write_text("extends: no-such-2020/ruleset\n", encoding="utf-8")
    with pytest.raises(RulesetError) as caught:
        pr.load(child)
    assert [d.code for d in caught.value.diagnostics] == ["PR010"]


def test_remove_then_write_again_replaces_a_node_whole(tmp_path: Path) -> None:
    text = """\
extends: {{ruleset: {base}, remove: ["1.2.2"]}}
fields:
  - id: "1"
    criteria:
      - id: "1.2"
        subcriteria:
          - id: "1.2.2"
            name: Báo cáo đầy đủ nội dung
            max: 1
            rule: "Đạt: 1 · Không đạt: 0"
            provisional: ví dụ
            scoring: {{method: points, allowed: [0, 1]}}
"""
    ruleset = pr.load(write_child(tmp_path, text))
    node = ruleset.node("1.2.2")
    assert node.name == "Báo cáo đầy đủ nội dung"
    assert node.method is not None and node.method.name == "points"
    # Nothing of the base's 1.2.2 survives: no source, no choice options.
    assert node.provenance.source is None and node.rule == "Đạt: 1 · Không đạt: 0"


def test_chained_bases_and_merged_documents_and_policies(tmp_path: Path) -> None:
    (tmp_path / "mid").mkdir()
    mid = tmp_path / "mid" / "mid.yaml"
    mid.write_text(
        f"extends: {relative(CAMAU, mid.parent)}\n"
        "policies: {missing: zero, evidence: explanation}\n"
        "documents: {extra: {title: Văn bản thêm}}\n",
        encoding="utf-8",
    )
    top = tmp_path / "top.yaml"
    top.write_text(
        "extends: mid/mid.yaml\npolicies: {evidence: required}\nid: camau-2015/so-trich\n",
        encoding="utf-8",
    )
    document = pr.load(top).document
    assert document.policies.missing.value == "zero"  # from mid
    assert document.policies.evidence.value == "required"  # top overrides mid
    assert set(document.documents) == {"qd1880", "extra"}
    assert document.id == "camau-2015/so-trich"
    assert document.max == Decimal(7)


def test_a_ruleset_without_extends_is_unchanged(tmp_path: Path) -> None:
    assert snapshot(pr.load(CAMAU)) == snapshot(pr.loads(CAMAU.read_text(encoding="utf-8")))


def test_schema_documents_extends() -> None:
    from parindex_rules.model.schema import ruleset_schema

    schema = ruleset_schema()
    assert "extends" in schema["properties"]
    assert set(schema["$defs"]["Extends"]["properties"]) == {"ruleset", "remove"}


def test_extends_an_installed_ruleset_by_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A base named by id is looked up in the installed ruleset packs; its nodes keep the
    pack's file for their locations."""
    from parindex_rules.loader.resolve import RulesetPack
    from parindex_rules.plugins import registry

    package = tmp_path / "goi_thu_extends"
    (package / "camau-2013").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    installed = package / "camau-2013" / "so-trich.yaml"
    installed.write_text(CAMAU.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.register("rulesets", "goi-thu", RulesetPack("goi-thu", "goi_thu_extends"))
    try:
        child = tmp_path / "child.yaml"
        child.write_text(
            "extends: camau-2013/so-trich\nid: camau-2014/so-trich\nyear: 2014\n", encoding="utf-8"
        )
        ruleset = pr.load(child)
        assert ruleset.id == "camau-2014/so-trich"
        assert Path(ruleset.node("1.1.4").file).resolve() == installed.resolve()
        assert snapshot(ruleset)["nodes"] == snapshot(pr.load(CAMAU))["nodes"]
    finally:
        registry.unregister("rulesets", "goi-thu")


def test_a_formula_problem_in_inherited_content_points_at_the_base_column(
    tmp_path: Path,
) -> None:
    """Removing leaf 1.1 removes the inputs that 1.2's formula (inherited) reads: the error is
    at the name in the base file's formula, line and column."""
    base = tmp_path / "base.yaml"
    base.write_text(
        'id: thu-2020/so\ntitle: T\nprovince: P\nlevel: so\nyear: 2020\ndecision: {number: "1"}\n'
        "max: 2\nprovisional: ví dụ\nfields:\n"
        '  - {id: "1", name: F, max: 2, provisional: ví dụ, criteria: [\n'
        '      {id: "1.1", name: A, max: 1, provisional: ví dụ, rule: r,\n'
        "       inputs: {so_a: {label: a, kind: count}, so_b: {label: b, kind: count}},\n"
        '       scoring: {method: formula, formula: "ratio(so_a, so_b) * max"}},\n'
        '      {id: "1.2", name: B, max: 1, provisional: ví dụ, rule: r,\n'
        '       scoring: {method: formula, formula: "ratio(so_a, so_b) * max"}}]}\n',
        encoding="utf-8",
    )
    child = tmp_path / "child.yaml"
    child.write_text(
        'extends: {ruleset: base.yaml, remove: ["1.1"]}\nmax: 1\nfields: [{id: "1", max: 1}]\n',
        encoding="utf-8",
    )
    with pytest.raises(RulesetError) as caught:
        pr.load(child)
    found = [(d.code, Path(d.file).name, d.line, d.column) for d in caught.value.diagnostics]
    line = base.read_text(encoding="utf-8").splitlines()[14]
    assert ("PR303", "base.yaml", 15, line.index("so_a") + 1) in found
