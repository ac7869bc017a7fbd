"""`parindex template --format yaml`: the facts format with every leaf listed and commented."""

from __future__ import annotations

from pathlib import Path

import pytest

import parindex_rules as pr
from parindex_rules.cli import main
from parindex_rules.diagnostics import FactsError
from parindex_rules.loader.facts import load_facts_text
from parindex_rules.sheets.template import yaml_template

from .helpers import RULESET
from .rich import rich_ruleset


def test_every_leaf_is_listed_with_its_rule_and_what_to_give(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["template", str(RULESET)]) == 0
    text = capsys.readouterr().out
    ruleset = pr.load(RULESET)
    leaves = [n.id for n in ruleset.compiled.leaves()]
    assert [f'"{leaf}":' in text for leaf in leaves] == [True] * 6
    assert (
        "# Cách chấm: Thực hiện trên 90% kế hoạch: 2 · Thực hiện từ 70% - 90% kế hoạch: 1 · "
        "Dưới 70% kế hoạch: 0" in text
    )
    assert (
        "# → Ghi Tỷ lệ nhiệm vụ của kế hoạch CCHC năm đã thực hiện (tỷ lệ %, từ 0 đến 100)." in text
    )
    assert "# 1.2 Báo cáo CCHC — tối đa 2 điểm" in text  # parents as comments


def test_a_template_with_only_the_unit_named_reads_and_misses_every_leaf() -> None:
    """The template is valid facts once the unit is named; each unfilled leaf is reported."""
    ruleset = pr.load(RULESET)
    text = yaml_template(ruleset).replace('unit: ""', "unit: so-a").replace('name: ""', "name: A")
    facts = load_facts_text(text, "mau.yaml")
    result = ruleset.evaluate_cohort(facts).unit("so-a")
    missing = sorted(d.message for d in result.diagnostics if d.code == "PR509")
    assert len(missing) == 6
    assert "unit so-a: item 1.1.4: ty_le_thuc_hien is missing" in missing


def test_an_unfilled_unit_id_is_an_error_at_its_line() -> None:
    with pytest.raises(FactsError) as info:
        load_facts_text(yaml_template(pr.load(RULESET)), "mau.yaml")
    lines = [d.line for d in info.value.diagnostics]
    assert lines and all(line > 0 for line in lines)


def test_inputs_conditions_survey_and_council_items() -> None:
    text = yaml_template(rich_ruleset())
    assert text.splitlines()[0].startswith("# TẠM THỜI (PROVISIONAL)")
    assert "      dung_han: null  # Số hồ sơ đúng hạn\n" in text
    assert "      du_so_luong: null  # Đủ số lượng\n" in text
    assert '    survey: {"2024": null}\n' in text
    council = text.split('"1.7":')[1].split('"1.8":')[0]
    assert "self:" not in council and "Hội đồng thẩm định chấm" in council


def test_filled_yaml_template_scores(tmp_path: Path) -> None:
    """Kịp thời (1) + 95 % (> 90: 2) + đủ (1) + đạt (1) + đủ và đúng hạn (1) + đạt (1) = 7."""
    ruleset = pr.load(RULESET)
    text = yaml_template(ruleset).replace('unit: ""', "unit: so-a").replace('name: ""', "name: A")
    values = iter(["kip_thoi", "day_du", "dat", "95", "du_dung_han", "dat"])
    filled = "\n".join(
        line.replace("self: null", f"self: {next(values)}") if "self: null" in line else line
        for line in text.splitlines()
    )
    result = ruleset.evaluate_cohort(load_facts_text(filled, "filled.yaml")).unit("so-a")
    assert result.ok and result.rounded(result.index) == "100.00"
