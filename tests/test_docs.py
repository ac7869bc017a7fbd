"""The README's commands and the API guide's code run as shown.

The other guides test their own examples (tests/*/test_docs*.py); this covers README.md,
docs/README.md, docs/plugins.md's commands, each ruleset folder's README.md and docs/api.md.
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


#: Documents whose shell blocks are run here; a ruleset folder's README is one of them.
SHELL_DOCS = [
    "README.md",
    "docs/README.md",
    "docs/plugins.md",
    *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "rulesets").glob("*/README.md")),
]


def test_every_ruleset_readme_is_run() -> None:
    """Each shipped ruleset folder's README shows commands, and they are in SHELL_DOCS."""
    folders = [p for p in (ROOT / "rulesets").iterdir() if p.is_dir() and p.name[0] not in "._"]
    assert folders
    for folder in folders:
        readme = folder / "README.md"
        assert readme.relative_to(ROOT).as_posix() in SHELL_DOCS
        assert parindex_commands(readme), f"{readme} shows no parindex command"


@pytest.mark.parametrize("doc", SHELL_DOCS)
def test_shell_commands_run(doc: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each command exits 0 and prints (or, with --out, writes) something. Files a command
    writes go to a temporary folder; the inputs are read from the repository as shown."""
    if doc == "docs/plugins.md":
        from tests.plugins.conftest import require_demo

        require_demo()  # its commands use the example plugin
    monkeypatch.chdir(ROOT)
    commands = parindex_commands(ROOT / doc)
    assert commands, f"{doc} shows no parindex command"
    for args in commands:
        args = [
            str(tmp_path / arg) if i and args[i - 1] == "--out" else arg
            for i, arg in enumerate(args)
        ]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
        assert code == 0, (args, err.getvalue())
        assert "Traceback" not in err.getvalue()
        if "--out" in args:
            written = Path(args[args.index("--out") + 1])
            assert written.is_file() and written.stat().st_size > 0, args
        else:
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
