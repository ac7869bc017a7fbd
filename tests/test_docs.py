"""The README's commands and the API guide's code run as shown.

The other guides test their own examples (tests/*/test_docs*.py); this covers README.md,
docs/README.md and docs/api.md.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest

from parindex_rules.cli import main

from .conftest import ROOT

FENCE = re.compile(r"```(\w*)\n(.*?)```", re.S)


def blocks(path: Path, language: str) -> list[str]:
    return [
        body for lang, body in FENCE.findall(path.read_text(encoding="utf-8")) if lang == language
    ]


def parindex_commands(path: Path) -> list[list[str]]:
    """Every `parindex ...` step of the shell blocks (install steps are CI's business)."""
    out = []
    for body in blocks(path, "sh"):
        for line in body.splitlines():
            for step in line.split("&&"):
                words = shlex.split(step.strip())
                if words and Path(words[0]).name == "parindex":
                    out.append(words[1:])
    return out


@pytest.mark.parametrize("doc", ["README.md", "docs/README.md"])
def test_shell_commands_run(doc: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    commands = parindex_commands(ROOT / doc)
    assert commands, f"{doc} shows no parindex command"
    for args in commands:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
        assert code == 0, (args, err.getvalue())
        assert "Traceback" not in err.getvalue()
        assert out.getvalue().strip(), args


def test_readme_quick_start_shows_provisional_results_and_explanations(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    rank, explain = parindex_commands(ROOT / "README.md")[:2]
    assert main(rank) == 0
    ranking = capsys.readouterr().out
    assert ranking.startswith("PROVISIONAL")
    assert "Ban Dân tộc tỉnh" in ranking and "not ranked" in ranking
    assert main(explain) == 0
    explanation = capsys.readouterr().out
    assert explanation.startswith("PROVISIONAL")
    assert "8.1 Kết quả chỉ số hài lòng (SIPAS)" in explanation
    assert "survey 2023" in explanation


def test_api_guide_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code = "\n".join(blocks(ROOT / "docs" / "api.md", "python"))
    assert "pr.load(" in code
    namespace: dict[str, object] = {}
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(compile(code, "docs/api.md", "exec"), namespace)
    assert "['PR509', 'PR509']" in out.getvalue()
    assert "Kết quả chỉ số hài lòng (SIPAS)" in out.getvalue()
