"""The bad-input corpus: how cases are found, what they expect, and how they run.

A case is a small file under ``tests/corpus/`` (folders and files whose name starts with ``_``
are helpers, not cases). What it expects stands beside it: in header comments of the file
itself, or in a sidecar ``NAME.expect`` (for JSON and other files that cannot hold comments)::

    # expect: PR204 12:7            a diagnostic of this code at line 12, column 7 of this file
    # expect: PR010 nosuch-2024/so:0:0   ... or in another file (paths as printed)
    # ruleset: _rulesets/points.yaml     a facts case: the ruleset it is scored against
    # run: explain {ruleset} --facts {file} --unit a   the command line (default below)
    # run: import-annex {file} --out {tmp}/out.yaml     ({tmp}: the case runs in a fresh
                                        folder holding a copy of it, where the output goes)
    # exit: 0                           the exit code (default 1)

The default command is ``validate {file}`` for a ruleset and
``score {ruleset} --facts {file} --format json`` for a facts case. Commands run in-process
through :func:`parindex_rules.cli.main`, with the corpus folder as the working directory, so
the file names printed are relative to it (``structure/max-sum.yaml:12:7: PR204 ...``).

Every expected diagnostic must be printed, and every error printed must be expected: a case
states all its errors. Warnings and infos are checked only when expected. Generated cases
(wrong encodings, huge files) are written by :mod:`tests.hardening.generated` into a
temporary folder and checked the same way.
"""

from __future__ import annotations

import contextlib
import io
import os
import posixpath
import re
import shlex
import shutil
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parindex_rules.cli import main

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
CASE_SUFFIXES = (".yaml", ".yml", ".json", ".txt", ".csv", ".xlsx", ".docx")

_DIRECTIVE = re.compile(r"^#\s*(expect|ruleset|run|exit|about):\s*(.*?)\s*$")
_EXPECT = re.compile(r"^(PR\d{3})\s+(?:(.+):)?(\d+):(\d+)$")
#: One printed diagnostic: FILE:LINE:COL: CODE [severity] message (hint, path).
PRINTED = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>PR\d{3}) "
    r"(?:\[(?P<severity>warning|info)\] )?(?P<message>.*)$"
)


#: Lines that Python itself prints (a warning, an exception): never meant for users.
_PYTHON_SPEAKING = re.compile(r"^(\w*(Warning|Error|Exception)\b|<\w+>:\d+: |Traceback )")


#: A value shown the way Python spells it, not the way the user wrote it (Decimal('5'), True).
_PYTHON_REPR = re.compile(r"\b(Decimal|Fraction|datetime\.date)\(|\bgot (True|False|None)\b")


@dataclass(frozen=True)
class Expected:
    code: str
    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.code} {self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Printed:
    code: str
    file: str
    line: int
    column: int
    severity: str
    text: str

    @property
    def key(self) -> Expected:
        return Expected(self.code, self.file, self.line, self.column)


@dataclass
class Case:
    """One corpus case: a command line, where it runs, and what it must print."""

    name: str
    argv: list[str]
    expected: list[Expected]
    exit: int = 1
    about: str = ""
    #: The file the case is about, relative to `cwd` (shown in docs/diagnostics.md).
    file: str = ""
    #: For generated cases: writes the files into the folder the case runs in.
    setup: Callable[[Path], None] | None = None
    #: For generated cases: what to patch while the case runs (lowered limits, plugins).
    patch: Callable[[], contextlib.AbstractContextManager[Any]] | None = None
    #: Extra files the case needs (the ruleset of a facts case), relative to `cwd`.
    uses: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    exit: int
    stdout: str
    stderr: str

    @property
    def printed(self) -> list[Printed]:
        out = []
        for line in self.stderr.splitlines():
            match = PRINTED.match(line)
            if match:
                out.append(
                    Printed(
                        match["code"],
                        match["file"],
                        int(match["line"]),
                        int(match["column"]),
                        match["severity"] or "error",
                        line,
                    )
                )
        return out


def run_cli(argv: list[str], cwd: Path) -> Outcome:
    """Run ``parindex ARGV`` in-process in `cwd`, capturing what it prints."""
    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        with (
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            warnings.catch_warnings(record=True) as caught,
        ):
            # Every warning counts (Python would show some only in later versions or in
            # __main__): whatever reaches a user must be a diagnostic.
            warnings.simplefilter("always")
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse usage errors
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        os.chdir(previous)
    shown = "".join(f"{w.category.__name__}: {w.message}\n" for w in caught)
    return Outcome(code, out.getvalue(), err.getvalue() + shown)


def _directives(path: Path) -> list[tuple[str, str]]:
    sidecar = path.with_name(path.name + ".expect")
    if sidecar.exists():
        lines = sidecar.read_text(encoding="utf-8").splitlines()
        lines = [line if line.startswith("#") else "# " + line for line in lines]
    else:
        lines = []
        for line in path.read_bytes().decode("utf-8", errors="replace").splitlines():
            if not line.startswith("#"):
                break
            lines.append(line)
    found = []
    for line in lines:
        match = _DIRECTIVE.match(line)
        if match:
            found.append((match[1], match[2]))
    return found


def load_case(path: Path) -> Case:
    relative = path.relative_to(CORPUS).as_posix()
    here = path.parent.relative_to(CORPUS).as_posix()
    expected: list[Expected] = []
    ruleset: str | None = None
    run: str | None = None
    exit_code = 1
    about = ""
    for key, value in _directives(path):
        if key == "expect":
            match = _EXPECT.match(value)
            if not match:
                raise ValueError(f"{relative}: cannot read `expect: {value}`")
            expected.append(Expected(match[1], match[2] or relative, int(match[3]), int(match[4])))
        elif key == "ruleset":
            ruleset = posixpath.normpath(posixpath.join(here, value))
        elif key == "run":
            run = value
        elif key == "exit":
            exit_code = int(value)
        elif key == "about":
            about = value
    if not expected:
        raise ValueError(f"{relative}: a corpus case needs at least one `expect:`")
    if run is None:
        run = "score {ruleset} --facts {file} --format json" if ruleset else "validate {file}"
    argv = [
        part.format(file=relative, ruleset=ruleset or "", dir=here, tmp="{tmp}")
        for part in shlex.split(run)
    ]
    return Case(
        name=relative,
        argv=argv,
        expected=expected,
        exit=exit_code,
        about=about,
        file=relative,
        uses=[ruleset] if ruleset else [],
    )


def file_cases() -> Iterator[Case]:
    for path in sorted(CORPUS.rglob("*")):
        parts = path.relative_to(CORPUS).parts
        if not path.is_file() or any(p.startswith("_") for p in parts):
            continue
        if path.suffix not in CASE_SUFFIXES:
            continue
        yield load_case(path)


def import_all_modules() -> None:
    """Import every module of the package, so that every code is registered in the catalogue."""
    import importlib
    import pkgutil

    import parindex_rules

    for info in pkgutil.walk_packages(parindex_rules.__path__, "parindex_rules."):
        importlib.import_module(info.name)


def all_cases() -> list[Case]:
    from tests.hardening.generated import generated_cases

    return [*file_cases(), *generated_cases()]


def check(case: Case, outcome: Outcome) -> list[str]:
    """What is wrong with `outcome` for `case` (empty when it is as expected)."""
    problems = []
    for stream, text in (("stderr", outcome.stderr), ("stdout", outcome.stdout)):
        if "Traceback" in text or "internal error" in text:
            problems.append(f"{stream} shows a traceback or an internal error:\n{text}")
    reprs = [line for line in outcome.stderr.splitlines() if _PYTHON_REPR.search(line)]
    if reprs:
        problems.append(f"a value is shown as a Python repr, not as written: {reprs[:3]}")
    stray = [line for line in outcome.stderr.splitlines() if _PYTHON_SPEAKING.match(line)]
    if stray:
        problems.append(f"stderr holds Python's own warnings or errors: {stray[:3]}")
    if outcome.exit != case.exit:
        problems.append(f"exit code {outcome.exit}, expected {case.exit}")
    printed = outcome.printed
    keys = [p.key for p in printed]
    for wanted in case.expected:
        if wanted not in keys:
            problems.append(f"expected {wanted}, not printed")
    for item in printed:
        if item.severity == "error" and item.key not in case.expected:
            problems.append(f"unexpected error printed: {item.text}")
    if problems:
        problems.append("stderr was:\n" + outcome.stderr)
    return problems


def run_case(case: Case, folder: Path | None = None) -> Outcome:
    """Run a case: file cases in the corpus folder, generated ones in `folder` (written first)."""
    cwd = CORPUS
    argv = case.argv
    writes = any("{tmp}" in part for part in argv)
    if case.setup is not None or writes:
        if folder is None:
            raise ValueError(f"{case.name} writes files: give it a folder to write into")
        cwd = folder
    if writes:
        # Run in a fresh folder holding a copy of the case (at its corpus path), so that what
        # the command writes lands there and is named the same way on every machine.
        assert folder is not None
        for relative in [case.file, *case.uses]:
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(CORPUS / relative, target)
        argv = [part.replace("{tmp}/", "").replace("{tmp}", ".") for part in argv]
    if case.setup is not None:
        assert folder is not None
        case.setup(folder)
    with case.patch() if case.patch is not None else contextlib.nullcontext():
        return run_cli(argv, cwd)
