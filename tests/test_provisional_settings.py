"""A `provisional:` anywhere in a ruleset makes it provisional — not only on nodes and inside
rules: parameters, policies, ranking (and its parts), classes, rounding, declared counts and the
workflow. `validate --strict` gives one PR230 per such setting, at its key; `describe` counts
and lists them; a leaf whose formula reads a provisional parameter (directly or through a
derived value) rests on provisional content, and so do its parents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import parindex_rules as pr
from parindex_rules.cli import main
from parindex_rules.diagnostics import RulesetError

#: A small, fully sourced ruleset (line numbers matter: the tests below name them).
OFFICIAL = """\
id: thu-2024/so
title: Bộ chỉ số thử
province: Thử
level: so
year: 2024
decision: {number: 1/QĐ-THU}
max: 10
source: {document: qd, part: "1"}
documents:
  qd: {title: Quyết định thử}
parameters:
  he_so:
    value: 0.5
    source: {document: qd, part: "2"}
fields:
  - id: "1"
    name: Lĩnh vực một
    max: 10
    source: {document: qd, row: "1"}
    criteria:
      - id: "1.1"
        name: Tỷ lệ
        max: 6
        rule: "Điểm = a × 0,5, tối đa 6"
        source: {document: qd, row: "1.1"}
        inputs:
          a: {label: a, kind: number}
        scoring: {method: formula, formula: "min(a * he_so, max)"}
      - id: "1.2"
        name: Điểm trực tiếp
        max: 4
        rule: "Điểm tự chấm"
        source: {document: qd, row: "1.2"}
        scoring: {method: points}
"""

PARAMETER_SOURCE = '    source: {document: qd, part: "2"}\n'
PARAMETER_READING = '    provisional: "hệ số 0,5 là cách đọc tạm"\n'


def load(text: str, tmp_path: Path) -> tuple[pr.Ruleset, Path]:
    path = tmp_path / "thu.yaml"
    path.write_text(text, encoding="utf-8")
    return pr.load(path), path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_base_ruleset_is_official(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rs, path = load(OFFICIAL, tmp_path)
    assert not rs.provisional
    assert rs.compiled.provisional_settings == []
    assert not any(n.rests_on_provisional for n in rs.nodes.values())
    assert run(capsys, "validate", "--strict", str(path)) == (0, "", "")


def test_a_provisional_parameter_makes_the_ruleset_and_its_readers_provisional(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`min(a * he_so, max)` with he_so provisional: the audit's example. Before, this passed
    `validate --strict` and `describe` said "provisional": false."""
    text = OFFICIAL.replace(PARAMETER_SOURCE, PARAMETER_READING)
    rs, path = load(text, tmp_path)
    assert rs.provisional
    assert rs.compiled.provisional_settings == [
        (("parameters", "he_so"), "hệ số 0,5 là cách đọc tạm")
    ]
    # 1.1 reads he_so: it, its field and the total rest on it; 1.2 does not.
    flags = {i: n.rests_on_provisional for i, n in rs.nodes.items()}
    assert flags == {"total": True, "1": True, "1.1": True, "1.2": False}
    # strict: exactly one error, at the parameter's key (line 12, column 3: "  he_so:").
    code, out, err = run(capsys, "validate", "--strict", str(path))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{path}:12:3: PR230 setting parameters.he_so is provisional: hệ số 0,5 là cách đọc tạm "
        "(at parameters.he_so)"
    ]
    # plain: one warning that counts it.
    code, _out, err = run(capsys, "validate", str(path))
    (line,) = err.splitlines()
    assert code == 0 and " PR230 [warning] " in line
    assert "0 of 4 nodes" in line and "1 provisional setting(s)" in line
    # describe JSON says so, and counts it.
    code, out, _err = run(capsys, "describe", str(path), "--format", "json")
    described = json.loads(out)
    assert described["provisional"] is True
    assert described["provenance"]["provisional_settings"] == 1
    assert described["provenance"]["provisional_nodes"] == 0
    # describe text: the banner first, and the setting listed with its reason.
    code, out, _err = run(capsys, "describe", str(path))
    assert out.splitlines()[0].startswith("PROVISIONAL")
    assert "parameters.he_so: hệ số 0,5 là cách đọc tạm" in out
    # The published docs count it beside the nodes, and carry the banner.
    code, out, _err = run(capsys, "docs", str(path))
    assert code == 0 and "TẠM THỜI (PROVISIONAL)" in out
    assert "0 cách đọc tạm trong quy tắc chấm, 1 thiết lập tạm thời" in out
    # score JSON: the flags on the nodes.
    facts = tmp_path / "facts.yaml"
    facts.write_text(
        "ruleset: thu-2024/so\nyear: 2024\nunits:\n  - unit: u1\n    name: Đơn vị\n"
        "    items:\n      '1.1': {self: {a: 10}}\n      '1.2': {self: 4}\n",
        encoding="utf-8",
    )
    code, out, _err = run(capsys, "score", str(path), "--facts", str(facts), "--format", "json")
    scored = json.loads(out)
    assert scored["provisional"] is True
    nodes = scored["units"][0]["nodes"]
    assert (nodes["1.1"]["provisional"], nodes["1.2"]["provisional"]) == (True, False)
    assert nodes["1"]["provisional"] is True
    # 10 × 0.5 = 5 (under the cap 6); 5 + 4 = 9 of 10.
    assert (nodes["1.1"]["score"], scored["units"][0]["score"]) == ("5.00", "9.00")


def test_a_derived_value_reading_a_provisional_parameter_passes_it_on(tmp_path: Path) -> None:
    """1.2 reads nua_a (a derived value), which reads he_so (provisional): 1.2 rests on it."""
    text = (
        OFFICIAL.replace(PARAMETER_SOURCE, PARAMETER_READING)
        .replace('formula: "min(a * he_so, max)"', 'formula: "min(a, max)"')
        .replace(
            "fields:\n",
            'derived:\n  nua_a:\n    formula: a * he_so\n    source: {document: qd, part: "3"}\n'
            "fields:\n",
        )
        .replace(
            "scoring: {method: points}",
            "inputs:\n          b: {label: b, kind: number}\n"
            '        scoring: {method: formula, formula: "min(nua_a + b, max)"}',
        )
    )
    rs, _path = load(text, tmp_path)
    flags = {i: n.rests_on_provisional for i, n in rs.nodes.items()}
    assert flags == {"total": True, "1": True, "1.1": False, "1.2": True}


#: Each setting, written provisional in the base ruleset: (what to replace, with what, the
#: setting's path, its line). Hand-placed: the replacement goes where the comment says.
SETTINGS = {
    "policies.evidence": (
        "documents:\n",
        'policies:\n  evidence: {value: required, provisional: "đọc tạm"}\ndocuments:\n',
        ("policies", "evidence"),
        10,
    ),
    "rounding": (
        "documents:\n",
        'rounding: {places: 2, mode: half_up, provisional: "đọc tạm"}\ndocuments:\n',
        ("rounding",),
        9,
    ),
    "ranking": (
        "documents:\n",
        'ranking: {within: all, provisional: "đọc tạm"}\ndocuments:\n',
        ("ranking",),
        9,
    ),
    "ranking.not_ranked": (
        "documents:\n",
        'ranking:\n  not_ranked:\n    - {name: Thanh tra, reason: đặc thù, provisional: "đọc tạm"}'
        "\ndocuments:\n",
        ("ranking", "not_ranked", 0),
        11,
    ),
    "ranking.tie_breakers": (
        "documents:\n",
        'ranking:\n  tie_breakers:\n    - {node: "1", provisional: "đọc tạm"}\ndocuments:\n',
        ("ranking", "tie_breakers", 0),
        11,
    ),
    "ranking.exclusion": (
        "documents:\n",
        'ranking:\n  exclusion: {value: true, provisional: "đọc tạm"}\ndocuments:\n',
        ("ranking", "exclusion"),
        10,
    ),
    "classes": (
        "documents:\n",
        'classes:\n  - {label: Tốt, from: 80, provisional: "đọc tạm"}\ndocuments:\n',
        ("classes", 0),
        10,
    ),
    "declared": (
        "documents:\n",
        'declared: {fields: 1, provisional: "đọc tạm"}\ndocuments:\n',
        ("declared",),
        9,
    ),
    "workflow.deadlines": (
        "documents:\n",
        "workflow:\n  deadlines:\n    - {id: submission, what: Gửi, day: '30/11', "
        'provisional: "đọc tạm"}\ndocuments:\n',
        ("workflow", "deadlines", 0),
        11,
    ),
    "workflow.deadlines.inclusive": (
        "documents:\n",
        "workflow:\n  deadlines:\n    - id: submission\n      what: Gửi\n      day: '30/11'\n"
        '      inclusive: {value: false, provisional: "đọc tạm"}\n'
        '      source: {document: qd, part: "4"}\ndocuments:\n',
        ("workflow", "deadlines", 0, "inclusive"),
        14,
    ),
    "workflow.appraisal": (
        "documents:\n",
        'workflow:\n  appraisal:\n    - {body: Hội đồng, provisional: "đọc tạm"}\ndocuments:\n',
        ("workflow", "appraisal", 0),
        11,
    ),
    "workflow.data_period": (
        "documents:\n",
        "workflow:\n  data_period: {start: 2024-01-01, end: 2024-11-30, "
        'provisional: "đọc tạm"}\ndocuments:\n',
        ("workflow", "data_period"),
        10,
    ),
    "workflow.reports_to": (
        "documents:\n",
        'workflow:\n  reports_to: {value: Sở Nội vụ, provisional: "đọc tạm"}\ndocuments:\n',
        ("workflow", "reports_to"),
        10,
    ),
    "field declared": (
        '    source: {document: qd, row: "1"}\n',
        '    source: {document: qd, row: "1"}\n'
        '    declared: {criteria: 2, provisional: "đọc tạm"}\n',
        ("fields", 0, "declared"),
        20,
    ),
    "leaf evidence": (
        '        source: {document: qd, row: "1.2"}\n',
        '        source: {document: qd, row: "1.2"}\n'
        '        evidence: {value: required, provisional: "đọc tạm"}\n',
        ("fields", 0, "criteria", 1, "evidence"),
        34,
    ),
}


@pytest.mark.parametrize("name", list(SETTINGS))
def test_every_kind_of_setting_counts(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new, setting_path, line = SETTINGS[name]
    assert OFFICIAL.count(old) == 1
    rs, path = load(OFFICIAL.replace(old, new), tmp_path)
    assert rs.provisional, name
    assert rs.compiled.provisional_settings == [(setting_path, "đọc tạm")]
    assert rs.describe()["provenance"]["provisional_settings"] == 1
    (error,) = rs.provisional_diagnostics(strict=True)
    assert (error.code, error.path, error.line) == ("PR230", setting_path, line)
    code, _out, err = run(capsys, "validate", "--strict", str(path))
    assert code == 1 and len(err.splitlines()) == 1
    # Only a leaf's own evidence policy changes what its score rests on.
    leaf_flag = rs.node("1.2").rests_on_provisional
    assert leaf_flag is (name == "leaf evidence")


def test_the_same_settings_sourced_are_official(tmp_path: Path) -> None:
    """The settings themselves are not the problem: with `source:` they are official."""
    for name, (old, new, _path, _line) in SETTINGS.items():
        sourced = new.replace('provisional: "đọc tạm"', 'source: {document: qd, part: "9"}')
        rs, _file = load(OFFICIAL.replace(old, sourced), tmp_path)
        assert not rs.provisional, name


def test_a_setting_may_not_be_both_sourced_and_provisional(tmp_path: Path) -> None:
    text = OFFICIAL.replace(
        "documents:\n",
        "policies:\n  evidence:\n    value: required\n    source: {document: qd, part: '5'}\n"
        '    provisional: "đọc tạm"\n  missing: {value: zero, provisional: " "}\ndocuments:\n',
    )
    with pytest.raises(RulesetError) as caught:
        load(text, tmp_path)
    found = sorted((d.code, d.line, d.column) for d in caught.value.diagnostics)
    # PR108 at the `provisional` key (line 13, column 5); PR104 at the blank reason (line 14).
    assert found == [("PR104", 14, 39), ("PR108", 13, 5)]


def test_a_blank_reading_inside_a_rule_is_an_error(tmp_path: Path) -> None:
    """Before, a band with `provisional: ""` was silently not a reading at all."""
    text = OFFICIAL.replace(
        "scoring: {method: points}",
        "inputs:\n          n: {label: n, kind: count}\n"
        "        scoring:\n          method: bands\n          input: n\n          bands:\n"
        "            - {from: 1, points: 4, provisional: ''}\n"
        "            - {below: 1, points: 0}",
    )
    with pytest.raises(RulesetError) as caught:
        load(text, tmp_path)
    assert [(d.code, d.line) for d in caught.value.diagnostics] == [("PR104", 40)]
