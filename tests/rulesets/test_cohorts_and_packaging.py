"""Example cohorts (real unit names, synthetic values) and how the rulesets ship."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import parindex_rules as pr
from parindex_rules.compile.compiler import content_hash
from parindex_rules.loader.resolve import BUILTIN_PACK, known_ids, resolve
from parindex_rules.model.ruleset import Deadline

from ..conftest import ROOT
from ._support import PROVINCE_IDS, RULESETS, cohort_path, facts, ruleset

# rulebooks.md §7, as listed there.
VL_SO = {
    "Sở Thông tin và Truyền thông", "Sở Tài chính", "Sở Tư pháp",
    "Sở Nông nghiệp và Phát triển nông thôn", "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ", "Sở Kế hoạch và Đầu tư", "Sở Giao thông vận tải", "Sở Nội vụ",
    "Sở Công thương", "Sở Giáo dục và Đào tạo", "Văn phòng UBND tỉnh", "Sở Xây dựng",
    "Ban Quản lý các khu công nghiệp tỉnh", "Sở Tài nguyên và Môi trường", "Thanh tra tỉnh",
    "Sở Y tế", "Sở Lao động, Thương binh và Xã hội", "Ban Dân tộc tỉnh",
}  # fmt: skip
VL_HUYEN = [
    "Vĩnh Long", "Bình Minh", "Long Hồ", "Mang Thít", "Vũng Liêm", "Tam Bình", "Trà Ôn", "Bình Tân",
]  # fmt: skip
HN_QH = [
    "Ba Đình", "Hoàn Kiếm", "Tây Hồ", "Long Biên", "Cầu Giấy", "Đống Đa", "Hai Bà Trưng",
    "Hoàng Mai", "Thanh Xuân", "Nam Từ Liêm", "Bắc Từ Liêm", "Hà Đông", "Sơn Tây", "Ba Vì",
    "Phúc Thọ", "Đan Phượng", "Hoài Đức", "Quốc Oai", "Thạch Thất", "Chương Mỹ", "Thanh Oai",
    "Thường Tín", "Phú Xuyên", "Ứng Hòa", "Mỹ Đức", "Mê Linh", "Sóc Sơn", "Đông Anh", "Gia Lâm",
    "Thanh Trì",
]  # fmt: skip
HN_SO = {
    "Sở Tài chính", "Sở Nội vụ", "Sở Tư pháp", "Sở Kế hoạch và Đầu tư", "Sở Giáo dục và Đào tạo",
    "Sở Y tế", "Sở Xây dựng", "Sở Giao thông vận tải", "Sở Tài nguyên và Môi trường",
    "Sở Công Thương", "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Lao động - Thương binh và Xã hội", "Sở Văn hóa và Thể thao", "Sở Du lịch",
    "Sở Khoa học và Công nghệ", "Sở Thông tin và Truyền thông", "Sở Quy hoạch - Kiến trúc",
    "Sở Ngoại vụ", "Văn phòng UBND Thành phố", "Thanh tra Thành phố", "Ban Dân tộc",
}  # fmt: skip
QT_HUYEN = [
    "Đông Hà", "Quảng Trị", "Vĩnh Linh", "Gio Linh", "Cam Lộ", "Triệu Phong", "Hải Lăng",
    "Hướng Hóa", "Đakrông", "Cồn Cỏ",
]  # fmt: skip


@pytest.mark.parametrize("ruleset_id", PROVINCE_IDS)
def test_every_example_cohort_scores_without_errors(ruleset_id: str) -> None:
    cohort = facts(cohort_path(ruleset_id))
    assert cohort.document.ruleset == ruleset_id
    assert cohort.document.synthetic is True
    assert "giả định" in cohort.document.notes.lower() and "synthetic" in cohort.document.notes
    result = ruleset(ruleset_id).evaluate_cohort(cohort)
    errors = [d.format() for d in result.all_diagnostics() if d.is_error]
    assert errors == []
    evaluated = [u for u in result.units if u.evaluated]
    assert evaluated and all(u.index is not None for u in evaluated)
    # Warnings only where the cohort shows a rule at work on purpose (Quảng Trị: no evidence).
    codes = {d.code for d in result.all_diagnostics()}
    assert codes == ({"PR601"} if ruleset_id.startswith("quangtri") else set())


def _names(ruleset_id: str) -> list[str]:
    return [u.name for u in facts(cohort_path(ruleset_id)).units]


def test_cohorts_use_the_real_unit_names() -> None:
    assert set(_names("vinhlong-2023/so")) == VL_SO
    assert {"Ban Dân tộc tỉnh", "Thanh tra tỉnh", "Ban Quản lý các khu công nghiệp tỉnh"} <= VL_SO
    for ruleset_id, places in (
        ("vinhlong-2023/huyen", VL_HUYEN),
        ("hanoi-2023/quan-huyen", HN_QH),
        ("quangtri-2019/huyen", QT_HUYEN),
    ):
        names = _names(ruleset_id)
        assert all(n.endswith(f" {p}") for n, p in zip(names, places, strict=True)), ruleset_id
    # Hà Nội sở: the 21 listed, plus one plainly made-up unit that shows the exclusion.
    assert set(_names("hanoi-2023/so")) - HN_SO == {"Đơn vị ví dụ (giả định: bị loại trừ)"}
    assert set(_names("hanoi-2023/so")) >= HN_SO


@pytest.mark.parametrize("ruleset_id", PROVINCE_IDS)
def test_rulesets_load_by_id_from_the_installed_package(ruleset_id: str) -> None:
    resolved = resolve(ruleset_id)
    assert resolved.display == f"{ruleset_id} (parindex-rules)"
    assert pr.load(ruleset_id).id == ruleset_id


@pytest.mark.parametrize("ruleset_id", PROVINCE_IDS)
def test_an_installed_ruleset_is_shown_by_its_file_on_disk(
    ruleset_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loaded by id, diagnostics and explanations still name the YAML file (site-packages, or
    the repository in an editable install), so FILE:LINE:COL opens at the right line; relative
    to the working folder when inside it, the same text on every machine."""
    monkeypatch.chdir(ROOT)
    rs = pr.load(ruleset_id)
    file = Path(rs.file)
    assert rs.file == f"rulesets/{ruleset_id}.yaml"  # an editable install, from the repository
    assert file.read_bytes() == (RULESETS / f"{ruleset_id}.yaml").read_bytes()
    lines = file.read_text(encoding="utf-8").splitlines()
    first = list(rs.compiled.nodes)[1]  # the first field ("1", or "I" in Hà Nội's)
    node = rs.node(first)
    result = rs.evaluate(facts(cohort_path(ruleset_id)).units[0])
    assert result.node(first).explain().location == f"{rs.file}:{node.line}"
    assert lines[node.line - 1].strip() == f'- id: "{first}"', lines[node.line - 1]
    (warning,) = pr.validate_ruleset(ruleset_id)
    assert (warning.code, warning.file) == ("PR230", rs.file)
    assert lines[warning.line - 1] == f"id: {ruleset_id}"


def test_the_pack_lists_exactly_the_province_rulesets() -> None:
    assert BUILTIN_PACK.ids() == sorted(PROVINCE_IDS)
    assert set(PROVINCE_IDS) <= set(known_ids())


def test_every_yaml_under_rulesets_is_a_ruleset_or_its_example_cohort() -> None:
    for path in sorted(RULESETS.rglob("*.y*ml")):
        relative = path.relative_to(RULESETS)
        if relative.parts[1] == "examples":
            set_ = path.name.removesuffix("-cohort.yaml")
            assert facts(path).document.ruleset == f"{relative.parts[0]}/{set_}", relative
        else:
            assert len(relative.parts) == 2, relative
            ruleset_id = f"{relative.parts[0]}/{path.stem}"
            assert ruleset_id in PROVINCE_IDS, relative
            assert ruleset(ruleset_id).compiled.content_hash == content_hash(
                path.read_text(encoding="utf-8")
            )


@pytest.mark.parametrize("folder", sorted({i.split("/")[0] for i in PROVINCE_IDS}))
def test_each_folder_readme_states_the_decision_and_the_rule(folder: str) -> None:
    text = (RULESETS / folder / "README.md").read_text(encoding="utf-8")
    ids = [i for i in PROVINCE_IDS if i.startswith(folder)]
    for ruleset_id in ids:
        doc = ruleset(ruleset_id).document
        assert doc.decision.number in text
        assert doc.provenance.provisional_rule in text, ruleset_id
        assert f"parindex score {ruleset_id}" in text


def test_rulesets_and_cohorts_ship_in_the_wheel(tmp_path: Path) -> None:
    """Build the wheel, install it into a bare folder, and load by id from there."""
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = wheels.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in RULESETS.rglob("*"):
        if path.suffix in (".yaml", ".md"):
            assert f"parindex_rules/rulesets/{path.relative_to(RULESETS)}" in names, path
    target = tmp_path / "site"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    script = (
        "import parindex_rules as pr, parindex_rules.rulesets as r;"
        "print(r.__file__);"
        "print(*(pr.load(i).describe()['criteria'] for i in " + repr(PROVINCE_IDS) + "));"
        f"print(pr.load({PROVINCE_IDS[0]!r}).file)"
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stderr[-2000:]
    location, criteria, shown_as = run.stdout.splitlines()
    assert location.startswith(str(target))
    # Diagnostics name the installed file, inside the installed package (not the id alone).
    folder, name = PROVINCE_IDS[0].split("/")
    assert shown_as == f"site/parindex_rules/rulesets/{folder}/{name}.yaml"  # from tmp_path
    assert (tmp_path / shown_as).resolve() == (Path(location).parent / folder / f"{name}.yaml")
    assert criteria.split() == ["34", "38", "35", "22", "22", "42", "42", "42"]


def _provisional_section(folder: str) -> str:
    text = (RULESETS / folder / "README.md").read_text(encoding="utf-8")
    return text.split("## What is provisional", 1)[1].split("\n## ", 1)[0]


def _day(deadline: Deadline) -> str:
    """The day as a README writes it: "30/11" for a yearly day, "30/11/2023" for a date."""
    if deadline.day is not None:
        return deadline.day
    assert deadline.date is not None, deadline.id
    year, month, day = str(deadline.date).split("-")  # IsoDate keeps the text, 2023-11-30
    return f"{day}/{month}/{year}"


@pytest.mark.parametrize("ruleset_id", PROVINCE_IDS)
def test_each_readme_marks_a_deadline_day_provisional_exactly_when_the_ruleset_does(
    ruleset_id: str,
) -> None:
    """A deadline whose day-itself reading (`inclusive`) is provisional in the YAML is named in
    the README's "What is provisional" section with its day and the provisional form; a day the
    source states ("chậm nhất vào ngày 20/12") is not listed there. Likewise the
    not-applicable policy: named there exactly when it is provisional."""
    section = _provisional_section(ruleset_id.split("/")[0])
    doc = ruleset(ruleset_id).document
    deadlines = doc.workflow.deadlines if doc.workflow else []
    read = {_day(d) for d in deadlines if d.inclusive.provisional is not None}
    for deadline in deadlines:
        day = _day(deadline)
        if day in read:
            assert day in section, (ruleset_id, deadline.id)
            value = str(deadline.inclusive.value).lower()
            assert f"`inclusive: {{value: {value}, provisional" in section, ruleset_id
        else:
            assert day not in section, (ruleset_id, deadline.id)
    not_applicable = doc.policies.not_applicable
    named = re.search(r"not[-_ ]applicable", section, re.IGNORECASE) is not None
    assert named == (not_applicable.provisional is not None), ruleset_id
