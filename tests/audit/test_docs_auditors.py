"""Every command shown in docs/auditors.md runs, and the output it shows is what it prints.

Commands are the `$ parindex ...` lines of its ```console blocks; the lines after a command, up
to the next one, must each appear in that command's output. They run in a folder holding the
Cà Mau example and the filled-in files the page reads (so-lieu.xlsx, so-lieu.csv).
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from parindex_rules.cli import main
from parindex_rules.sheets.template import xlsx_template

from .helpers import CAMAU, FACTS, ROOT, fill_template
from .test_csv_facts import CAMAU_CSV

DOC = ROOT / "docs" / "auditors.md"


def commands() -> list[tuple[str, list[str]]]:
    text = DOC.read_text(encoding="utf-8")
    out: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                out.append((line[2:], []))
            elif line.strip():
                assert out, f"output before any command in {DOC.name}: {line!r}"
                out[-1][1].append(line.rstrip())
    return out


def test_the_page_shows_commands() -> None:
    verbs = {shlex.split(c)[1] for c, _ in commands()}
    assert {"explain", "report", "why", "template", "score"} <= verbs


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import parindex_rules as pr

    shutil.copytree(CAMAU, tmp_path / "examples" / "camau-2013")
    ruleset = pr.load(CAMAU / "ruleset.yaml")
    (tmp_path / "so-lieu.xlsx").write_bytes(fill_template(xlsx_template(ruleset), FACTS))
    (tmp_path / "so-lieu.csv").write_text(CAMAU_CSV, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(("command", "shown"), commands(), ids=lambda v: str(v)[:70])
def test_command_runs_and_prints_what_the_page_shows(
    command: str, shown: list[str], workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = shlex.split(command)
    assert argv[0] == "parindex"
    assert main(argv[1:]) == 0, capsys.readouterr().err
    output = capsys.readouterr().out
    lines = [line.rstrip() for line in output.splitlines()]
    for line in shown:
        assert line in lines, f"{line!r} is not in the output of {command!r}:\n{output}"
    if "--out" in argv:
        target = workdir / argv[argv.index("--out") + 1]
        assert target.exists() and (target.is_dir() or target.stat().st_size > 0)
