"""Workflow checks: evidence and explanations per unit, stages, deadlines, exclusion; and
`parindex check`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from parindex_rules.cli import main
from parindex_rules.evaluate.checks import check_facts, check_unit

from .helpers import TWO_FIELDS, facts_text, ruleset

DOC = '[{number: "12/KH-UBND", date: "2023-01-10", title: Kế hoạch CCHC}]'

UNITS = f"""
- unit: a
  name: A
  items:
    "1.1": {{self: "2", evidence: {DOC}}}
    "1.2": {{self: "3"}}
    "2.1": {{evidence: {DOC}}}
- unit: b
  name: B
  items:
    "1.1": {{self: "2", explanation: "Văn bản đang trình ký"}}
    "1.2": {{applicable: false, reason: không phát sinh}}
    "2.1": {{appraisal: ["4"]}}
"""


@pytest.mark.parametrize(
    ("policy", "codes"),
    [
        # a: 1.2 scored without evidence; 2.1 evidence without a score.
        # b: 1.1 explained but no evidence; 2.1 appraised only, no evidence. 1.2 not applicable.
        ("required", {"a": ["PR601", "PR603"], "b": ["PR601", "PR601"]}),
        ("explanation", {"a": ["PR602", "PR603"], "b": ["PR604", "PR602"]}),
        ("none", {"a": ["PR603"], "b": []}),
    ],
)
def test_evidence_lists_and_diagnostics_per_policy(
    policy: str, codes: dict[str, list[str]]
) -> None:
    """The lists are the same under every policy; what each finding means follows the policy:
    required → PR601 (scores 0), explanation → PR602 when not explained (PR604, info, when
    explained), none → nothing but evidence without a score (PR603)."""
    rs = ruleset(TWO_FIELDS, head=f"policies: {{evidence: {policy}}}\n")
    checks = {c.unit: c for c in check_facts(rs.compiled, facts_text(UNITS))}
    a, b = checks["a"], checks["b"]
    assert a.score_without_evidence == ["1.2"] and a.evidence_without_score == ["2.1"]
    assert b.score_without_evidence == ["1.1", "2.1"] and b.evidence_without_score == []
    assert b.explanation_missing == (["2.1"] if policy == "explanation" else [])
    assert a.explanation_missing == (["1.2"] if policy == "explanation" else [])
    assert {u: [d.code for d in c.diagnostics] for u, c in checks.items()} == codes


def test_findings_are_located_at_the_item() -> None:
    rs = ruleset(TWO_FIELDS, head="policies: {evidence: required}\n")
    (diagnostic, *_) = check_facts(rs.compiled, facts_text(UNITS))[0].diagnostics
    assert (diagnostic.file, diagnostic.line, diagnostic.column) == ("facts.yaml", 9, 7)
    assert diagnostic.format().startswith("facts.yaml:9:7: PR601 [warning] unit a: item 1.2")


def deadline_ruleset(deadline: str) -> object:
    return ruleset(TWO_FIELDS, head=f"workflow:\n  deadlines:\n    - {deadline}\n")


SUBMITTED = """
- unit: a
  name: A
  submitted: {date}
  items: {{"1.1": {{self: "2"}}, "1.2": {{self: "3"}}, "2.1": {{self: "5"}}}}
"""


VL = "{id: submission, what: Gửi Sở Nội vụ, day: '15/12', inclusive: true}"
QT = "{id: submission, what: Nhập phần mềm, day: '30/11', inclusive: false, locks: true}"
#: As the Quảng Trị rulesets write it: 30/11 and the lock stated, the exclusion of 30/11 itself
#: a provisional reading.
QT_READING = (
    "{id: submission, what: Nhập phần mềm, day: '30/11', locks: true, "
    "inclusive: {value: false, provisional: 'trước ngày 30/11: đọc tạm'}}"
)


@pytest.mark.parametrize(
    ("deadline", "submitted", "late", "severity"),
    [
        # Vĩnh Long sở: by 15/12 ("chậm nhất vào ngày 15/12"), the day itself allowed.
        (VL, "2023-12-15", False, None),
        (VL, "2023-12-16", True, "warning"),
        # Quảng Trị "chậm nhất trước ngày 30/11", read as excluding 30/11, software locks.
        (QT, "2023-11-30", True, "error"),
        (QT, "2023-11-29", False, None),
        # The same, the exclusion being a provisional reading: late on 30/11 only by that
        # reading, so a warning, not an error; after 30/11 late by the stated date: an error.
        (QT_READING, "2023-11-30", True, "warning"),
        (QT_READING, "2023-12-01", True, "error"),
        (QT_READING, "2023-11-29", False, None),
        # A deadline in the year after the evaluation year.
        ("{id: submission, what: Gửi, day: '15/01', year: next}", "2024-01-15", False, None),
        ("{id: submission, what: Gửi, day: '15/01', year: next}", "2024-01-16", True, "warning"),
        # A dated deadline.
        ("{id: submission-lan-2, what: Bổ sung, date: 2023-12-01}", "2023-12-02", True, "warning"),
    ],
)  # fmt: skip
def test_submission_deadline(
    deadline: str, submitted: str, late: bool, severity: str | None
) -> None:
    rs = deadline_ruleset(deadline)
    cohort = facts_text(SUBMITTED.format(date=submitted))
    check = check_unit(rs.compiled, cohort.unit("a"), facts=cohort)  # type: ignore[attr-defined]
    assert check.late is late
    assert check.submitted == dt.date.fromisoformat(submitted)
    found = [(d.code, d.severity.value) for d in check.diagnostics]
    assert found == ([] if severity is None else [("PR605", severity)])
    if late:
        assert check.diagnostics[0].line == 7  # the `submitted` value
        reading = "a provisional reading: trước ngày 30/11: đọc tạm"
        assert (reading in check.diagnostics[0].message) is (
            deadline == QT_READING and submitted == "2023-11-30"
        )


def test_deadline_applies_to_a_unit_type_and_undated_submissions_are_noted() -> None:
    """`applies_to: xa` skips units of another type; a unit without `submitted` gets PR606
    (info)."""
    rs = deadline_ruleset("{id: submission, what: Gửi huyện, day: '30/11', applies_to: xa}")
    cohort = facts_text(
        """
        - {unit: h, name: H, type: huyen, submitted: 2023-12-20, items: {}}
        - {unit: x, name: X, type: xa, submitted: 2023-12-20, items: {}}
        - {unit: y, name: Y, type: xa, items: {}}
        """
    )
    checks = {c.unit: c for c in check_facts(rs.compiled, cohort)}  # type: ignore[attr-defined]
    assert checks["h"].late is None and checks["h"].diagnostics == []
    assert checks["x"].late is True
    assert [(d.code, d.severity.value) for d in checks["y"].diagnostics] == [("PR606", "info")]


def test_excluding_a_unit_the_ruleset_does_not_allow_to_exclude() -> None:
    cohort = facts_text("- {unit: x, name: X, evaluated: false, reason: gian dối, items: {}}\n")
    plain = check_unit(ruleset(TWO_FIELDS).compiled, cohort.unit("x"), facts=cohort)
    assert [d.code for d in plain.diagnostics] == ["PR610"]
    allowed = ruleset(TWO_FIELDS, head="ranking: {exclusion: true}\n")
    assert check_unit(allowed.compiled, cohort.unit("x"), facts=cohort).diagnostics == []


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


RULESET_TEXT = """\
id: thu-2023/so
title: Bộ chỉ số thử
province: Thử
level: so
year: 2023
decision: {number: 1/QĐ-UBND}
max: 10
provisional: viết tay cho kiểm thử
policies: {evidence: explanation}
workflow:
  deadlines:
    - {id: submission, what: Nhập phần mềm, day: "30/11", inclusive: true, locks: true}
fields:
  - id: "1"
    name: Lĩnh vực một
    max: 10
    provisional: t
    criteria:
      - {id: "1.1", name: a, max: 5, provisional: t, rule: r, scoring: {method: points}}
      - {id: "1.2", name: b, max: 5, origin: survey, provisional: t, rule: r,
         scoring: {method: survey}}
"""


def test_cli_check_exit_codes_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """On time, explained: exit 0. Late after a locking deadline, or a self score for a survey
    item: errors, exit 1, each on stderr as FILE:LINE:COL: CODE message."""
    rs = write(tmp_path, "thu.yaml", RULESET_TEXT)
    good = write(
        tmp_path,
        "good.yaml",
        "ruleset: thu-2023/so\nyear: 2023\nunits:\n"
        "  - unit: a\n    name: A\n    submitted: 2023-11-30\n    items:\n"
        '      "1.1": {self: "4", explanation: chờ ký}\n'
        '      "1.2": {survey: {"2023": "3"}}\n',
    )
    assert main(["check", rs, "--facts", good, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True
    assert data["units"][0]["score_without_evidence"] == ["1.1"]
    assert data["units"][0]["late"] is False
    assert [d["code"] for d in data["units"][0]["diagnostics"]] == ["PR604"]
    bad = write(
        tmp_path,
        "bad.yaml",
        "ruleset: thu-2023/so\nyear: 2023\nunits:\n"
        "  - unit: a\n    name: A\n    submitted: 2023-12-01\n    items:\n"
        '      "1.1": {self: "4"}\n'
        '      "1.2": {self: "3", survey: {"2023": "3"}}\n',
    )
    assert main(["check", rs, "--facts", bad]) == 1
    captured = capsys.readouterr()
    assert f"{bad}:6:16: PR605 unit a: submitted on 01/12/2023, after the deadline 30/11/2023" in (
        captured.err
    )
    assert f"{bad}:9:15: PR508 unit a: item 1.2 (survey) is not self-assessed" in captured.err
    assert f"{bad}:8:7: PR602 [warning]" in captured.err
    assert "late" in captured.out and "errors found" in captured.out
    # Each finding is reported once, although the engine sees PR508 at both stages.
    assert captured.err.count("PR508") == 1
