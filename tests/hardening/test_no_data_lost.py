"""No data lost: every file the library and the CLI write goes through fileio.write_atomic, and
a failure at any point of a write leaves the previous file exactly as it was, with no
temporary file left behind."""

from __future__ import annotations

import ast
import os
import stat
from pathlib import Path

import pytest

import parindex_rules
from parindex_rules import fileio
from parindex_rules.cli import build_parser
from parindex_rules.diagnostics import DiagnosticError
from parindex_rules.fileio import write_atomic
from tests.hardening.corpus import run_cli
from tests.hardening.determinism import CAMAU_F, CAMAU_R, ROOT, SENSITIVITY, F, R

PREVIOUS = "bản cũ — previous content\n"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_replaces_content_and_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text(PREVIOUS, encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "mới\n")
    assert target.read_text(encoding="utf-8") == "mới\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert _leftovers(tmp_path) == []


def test_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    """mkstemp makes 0600 files; the result must be readable as any file the user writes."""
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.txt", b"x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644


class _HalfWriter:
    """A file object that writes half of what it is given, then fails (a full disk)."""

    def __init__(self, handle: object) -> None:
        self.handle = handle

    def __enter__(self) -> _HalfWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()  # type: ignore[attr-defined]

    def fileno(self) -> int:
        return self.handle.fileno()  # type: ignore[attr-defined, no-any-return]

    def write(self, data: bytes) -> int:
        self.handle.write(data[: len(data) // 2])  # type: ignore[attr-defined]
        self.handle.flush()  # type: ignore[attr-defined]
        raise OSError(28, "No space left on device")


@pytest.mark.parametrize("failure", ["write", "fsync", "replace", "interrupt"])
def test_failure_halfway_leaves_previous_file(
    failure: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "scores.json"
    target.write_text(PREVIOUS, encoding="utf-8")
    if failure == "write":
        real_fdopen = os.fdopen
        monkeypatch.setattr(
            fileio.os, "fdopen", lambda fd, mode: _HalfWriter(real_fdopen(fd, mode))
        )
    elif failure == "fsync":
        monkeypatch.setattr(fileio.os, "fsync", _raise(OSError(5, "Input/output error")))
    elif failure == "replace":
        monkeypatch.setattr(fileio.os, "replace", _raise(OSError(28, "No space left on device")))
    else:
        monkeypatch.setattr(fileio.os, "replace", _raise(KeyboardInterrupt()))
    expected = KeyboardInterrupt if failure == "interrupt" else DiagnosticError
    with pytest.raises(expected) as info:
        write_atomic(target, "new content, " * 10_000)
    assert target.read_text(encoding="utf-8") == PREVIOUS
    assert _leftovers(tmp_path) == []
    if isinstance(info.value, DiagnosticError):
        assert [d.code for d in info.value.diagnostics] == ["PR890"]
        assert info.value.diagnostics[0].file == str(target)


def _raise(exc: BaseException):  # type: ignore[no-untyped-def]
    def fail(*args: object, **kwargs: object) -> None:
        raise exc

    return fail


# -- every CLI verb that writes: how to run it (add a verb here when it gains --out)
ANNEX = "tests/hardening/data/annex.csv"
OUT_COMMANDS = {
    "check": ["check", R, "--facts", F],
    "describe": ["describe", R, "--format", "json"],
    "diff": ["diff", CAMAU_R, R],
    "docs": ["docs", R, "--format", "html"],
    "explain": ["explain", R, "--facts", F, "--unit", "so-a"],
    "import-annex": ["import-annex", ANNEX, "--id", "thu-2020/so", "--title", "T", "--force"],
    "list": ["list", "--format", "json"],
    "rank": ["rank", R, "--facts", F, "--format", "json"],
    "report": ["report", R, "--facts", F, "--format", "xlsx"],
    "schema": ["schema"],
    "score": ["score", CAMAU_R, "--facts", CAMAU_F, "--format", "json"],
    "template": ["template", R, "--format", "xlsx"],
    "why": ["why", R, "--facts", F, "--unit", "so-a"],
    "sensitivity": [*SENSITIVITY, "--format", "json"],
}


def _verbs_with_out() -> dict[str, bool]:
    parser = build_parser()
    verbs = {}
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        for name, sub in action.choices.items():
            verbs[name] = any("--out" in a.option_strings for a in sub._actions)
    return verbs


def test_every_verb_that_writes_is_checked() -> None:
    writing = {verb for verb, has_out in _verbs_with_out().items() if has_out}
    assert writing == set(OUT_COMMANDS), "add the new verb to OUT_COMMANDS"


@pytest.mark.parametrize("verb", sorted(OUT_COMMANDS))
def test_cli_failure_leaves_previous_output(
    verb: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.bin"
    argv = [*OUT_COMMANDS[verb], "--out", str(out)]
    # It works, and writes the whole output...
    assert run_cli(argv, ROOT).exit == 0
    whole = out.read_bytes()
    assert len(whole) > 100
    # ... and when the write fails halfway, the previous file is still there, untouched.
    out.write_text(PREVIOUS, encoding="utf-8")
    real_fdopen = os.fdopen
    monkeypatch.setattr(fileio.os, "fdopen", lambda fd, mode: _HalfWriter(real_fdopen(fd, mode)))
    outcome = run_cli(argv, ROOT)
    assert outcome.exit == 1
    assert out.read_text(encoding="utf-8") == PREVIOUS
    assert _leftovers(tmp_path) == []
    assert f"{out}:0:0: PR890 cannot write {out}: No space left on device" in outcome.stderr
    assert "internal error" not in outcome.stderr and "Traceback" not in outcome.stderr


def test_fmt_failure_leaves_the_ruleset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fmt rewrites rulesets in place: a failed write leaves each one as it was."""
    ruleset = tmp_path / "ruleset.yaml"
    # Not in the canonical layout: `title` before `id`.
    original = (
        (ROOT / R)
        .read_text(encoding="utf-8")
        .replace(
            "id: hardening-2024/so\ntitle: Bộ chỉ số kiểm thử tính tất định\n",
            "title: Bộ chỉ số kiểm thử tính tất định\nid: hardening-2024/so\n",
        )
    )
    assert "title: Bộ" in original.split("id: hardening")[0]
    ruleset.write_text(original, encoding="utf-8")
    real_fdopen = os.fdopen
    monkeypatch.setattr(fileio.os, "fdopen", lambda fd, mode: _HalfWriter(real_fdopen(fd, mode)))
    outcome = run_cli(["fmt", str(ruleset)], ROOT)
    assert outcome.exit == 1
    assert ruleset.read_text(encoding="utf-8") == original
    assert _leftovers(tmp_path) == []
    assert " PR890 " in outcome.stderr and "internal error" not in outcome.stderr


def test_html_report_failure_leaves_the_previous_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The HTML report is a folder, written beside the target and swapped in (report/html.py):
    a failure while writing it leaves the previous report whole, and nothing beside it."""
    from parindex_rules.report import html

    target = tmp_path / "report"
    argv = ["report", R, "--facts", F, "--out", str(target)]
    assert run_cli(argv, ROOT).exit == 0
    before = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert len(before) >= 5
    monkeypatch.setattr(html.os, "fsync", _raise(OSError(28, "No space left on device")))
    outcome = run_cli(argv, ROOT)
    assert outcome.exit == 1
    assert f"{target}:0:0: PR890 cannot write {target}: No space left on device" in outcome.stderr
    after = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_failed_command_writes_nothing(tmp_path: Path) -> None:
    """A command that finds errors does not touch --out, even to write a partial result."""
    out = tmp_path / "scores.json"
    out.write_text(PREVIOUS, encoding="utf-8")
    bad = "tests/hardening/data/facts-with-errors.yaml"
    outcome = run_cli(["score", R, "--facts", bad, "--format", "json", "--out", str(out)], ROOT)
    assert outcome.exit == 1
    assert out.read_text(encoding="utf-8") == PREVIOUS
    assert _leftovers(tmp_path) == []


# -- static audit: nothing in the package writes a file except through write_atomic
_WRITE_METHODS = {"write_text", "write_bytes", "mkstemp", "NamedTemporaryFile", "rename"}
_RAW_RENAMES = {"replace", "rename", "copy", "copyfile", "copy2", "move", "truncate"}


def _direct_writes(source: str) -> list[tuple[int, str]]:
    """Calls that write a file: Path.write_text/bytes, open() for writing, os/shutil renames
    and copies (str.replace is not one: only os.replace and shutil.* are counted)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        module = (
            func.value.id
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            else ""
        )
        if name in _WRITE_METHODS or (name in _RAW_RENAMES and module in ("os", "shutil")):
            found.append((node.lineno, name))
        elif name == "open":
            # open(file, mode) or path.open(mode)
            given = node.args[0:1] if isinstance(func, ast.Attribute) else node.args[1:2]
            modes = list(given) + [k.value for k in node.keywords if k.arg == "mode"]
            for mode in modes:
                text = mode.value if isinstance(mode, ast.Constant) else "?"
                if not isinstance(text, str) or set(text) & set("wax+?"):
                    found.append((node.lineno, f"open({text!r})"))
    return found


#: Modules that write files themselves, and why that is safe (each has its own test here).
OWN_ATOMIC_WRITERS = {
    "report/html.py": "a report folder: written beside the target, then swapped in by renames",
}


def test_only_fileio_writes_files() -> None:
    package = Path(parindex_rules.__file__).parent
    offenders = {}
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if path.name == "fileio.py" or relative in OWN_ATOMIC_WRITERS:
            continue
        writes = _direct_writes(path.read_text(encoding="utf-8"))
        if writes:
            offenders[str(path.relative_to(package))] = writes
    assert offenders == {}, "write files with parindex_rules.fileio.write_atomic"


def test_the_audit_sees_a_direct_write() -> None:
    """The static check is not vacuous: it finds the ways a verb could bypass write_atomic."""
    source = (
        "from pathlib import Path\nimport os\n"
        "Path('a').write_text('x')\nopen('b', 'w')\nopen('c', mode='ab')\nos.replace('d', 'e')\n"
        "open('f')\n'x'.replace('a', 'b')\nPath('g').open('wb')\nPath('h').open()\n"
    )
    assert [name for _, name in _direct_writes(source)] == [
        "write_text", "open('w')", "open('ab')", "replace", "open('wb')"
    ]  # fmt: skip


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(
    "argv",
    [
        ["schema"],  # larger than the stdout buffer: fails while the command prints
        ["describe", R],  # smaller: fails when the output is flushed at the end
        ["report", R, "--facts", F, "--out", "{dir}"],  # writes a report, then says so
    ],
    ids=["schema", "describe", "report"],
)
def test_a_full_stdout_is_reported_not_an_internal_error(argv: list[str], tmp_path: Path) -> None:
    """`parindex schema > /dev/full` printed "internal error ... please report it"; it is a
    normal error of the user's environment: PR891 naming the reason, exit 1, and nothing from
    Python itself (no traceback, no "Exception ignored" at exit)."""
    import subprocess
    import sys

    argv = [str(tmp_path / "report") if part == "{dir}" else part for part in argv]
    script = "import sys; from parindex_rules.cli import main; sys.exit(main(sys.argv[1:]))"
    with Path("/dev/full").open("w") as full:
        done = subprocess.run(
            [sys.executable, "-c", script, *argv],
            cwd=ROOT,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            timeout=300,
        )
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[-1].startswith(
        "<stdout>:0:0: PR891 cannot write output: No space left on device"
    ), done.stderr
    for python_speaking in ("internal error", "Traceback", "Exception ignored"):
        assert python_speaking not in done.stderr
