"""docs/authoring.md, run: every file it saves and every command it shows, in order, in an empty
folder; each command's output (stderr then stdout) must read as the guide prints it.

The guide's conventions, which this test reads:
- a code block after a line ending "Save as `PATH`:" is written to PATH;
- a block after "In `PATH`, change line N to:" replaces line N of PATH;
- a block after "`PATH` now reads:" must equal PATH's content;
- in ```console blocks, "$ parindex ..." is a command (a trailing "# exit N" is its exit code,
  else 0) and the lines up to the next command are its output, where "…" stands for any lines.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest

from parindex_rules.cli import main

from ..conftest import ROOT

DOC = ROOT / "docs" / "authoring.md"
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```\n", re.S | re.M)


@dataclass
class Step:
    kind: str  # save, change, reads, run
    path: str = ""
    line: int = 0
    text: str = ""
    command: str = ""
    exit: int = 0
    output: tuple[str, ...] = ()


def steps() -> list[Step]:
    text = DOC.read_text(encoding="utf-8")
    out: list[Step] = []
    end = 0
    for match in BLOCK.finditer(text):
        before = [line for line in text[end : match.start()].splitlines() if line.strip()]
        end = match.end()
        lead = before[-1] if before else ""
        language, body = match.group(1), match.group(2)
        if language == "console":
            out.extend(commands(body))
        elif m := re.search(r"Save as `([^`]+)`:$", lead):
            out.append(Step("save", path=m.group(1), text=body))
        elif m := re.search(r"In `([^`]+)`, change line (\d+) to:$", lead):
            out.append(Step("change", path=m.group(1), line=int(m.group(2)), text=body))
        elif m := re.search(r"`([^`]+)` now reads:$", lead):
            out.append(Step("reads", path=m.group(1), text=body))
    return out


def commands(body: str) -> list[Step]:
    found: list[Step] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            command, _, comment = line[2:].partition("  # ")
            code = int(comment.removeprefix("exit ")) if comment.startswith("exit ") else 0
            found.append(Step("run", command=command.strip(), exit=code))
        else:
            found[-1].output += (line.rstrip(),)
    return found


def matches(expected: tuple[str, ...], actual: list[str]) -> bool:
    """`expected` with "…" standing for any lines (none included)."""
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if line == "…" else re.escape(line) + r"\n" for line in expected
    )
    return re.fullmatch(pattern, "".join(line + "\n" for line in actual)) is not None


def test_the_guide_has_its_steps() -> None:
    kinds = [s.kind for s in steps()]
    assert kinds.count("save") == 4 and kinds.count("change") == 1 and kinds.count("reads") == 1
    verbs = {s.command.split()[1] for s in steps() if s.kind == "run"}
    assert verbs == {"validate", "score", "explain", "describe", "diff", "fmt", "docs"} | {
        "import-annex"
    }


def test_every_command_of_the_guide_runs_as_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for step in steps():
        path = tmp_path / step.path
        if step.kind == "save":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(step.text, encoding="utf-8")
        elif step.kind == "change":
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            lines[step.line - 1] = step.text
            path.write_text("".join(lines), encoding="utf-8")
        elif step.kind == "reads":
            assert path.read_text(encoding="utf-8") == step.text, step.path
        else:
            argv = shlex.split(step.command)
            assert argv[0] == "parindex"
            code = main(argv[1:])
            captured = capsys.readouterr()
            actual = [line.rstrip() for line in (captured.err + captured.out).splitlines()]
            assert code == step.exit, (step.command, actual)
            assert matches(step.output, actual), (step.command, "\n".join(actual))
    # What the last commands wrote is there.
    page = (tmp_path / "bao-cao-2014.html").read_text(encoding="utf-8")
    assert 'class="provisional-banner"' in page
    assert (tmp_path / "nhap" / "bao-cao.yaml").is_file()
