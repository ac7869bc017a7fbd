"""Helpers shared by the CLI verbs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from parindex_rules.api import Ruleset, load
from parindex_rules.codes import Code, Severity, register_codes
from parindex_rules.diagnostics import Diagnostic, DiagnosticError, sort_diagnostics
from parindex_rules.fileio import discard_unwritten, write_atomic
from parindex_rules.loader.facts import Facts
from parindex_rules.readers import read_facts

register_codes(
    Code(
        "PR891",
        "output-failed",
        Severity.ERROR,
        "The command's output cannot be written to stdout (a full disk, a closed stream).",
    ),
)


class CommandError(Exception):
    """A usage problem found after parsing (exit 2 by default)."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def print_diagnostics(diagnostics: Iterable[Diagnostic], *, stream: object = None) -> None:
    out = stream or sys.stderr
    for diagnostic in sort_diagnostics(diagnostics):
        print(diagnostic.format(), file=out)  # type: ignore[arg-type]


def load_ruleset(ref: str) -> Ruleset:
    return load(ref)


def add_facts(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """``--facts FILE`` and ``--reader NAME``: every verb that reads facts reads them alike."""
    parser.add_argument(
        "--facts",
        required=required,
        metavar="FILE",
        help="facts file: YAML or JSON, CSV, Excel, or any format an installed reader handles",
    )
    add_reader(parser)


def add_reader(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reader",
        metavar="NAME",
        help="the facts reader to use (`parindex list` shows them); by default the one for "
        "the file's suffix",
    )


def load_facts_for(ruleset: Ruleset, args: argparse.Namespace) -> Facts:
    """Read ``--facts`` with the reader ``--reader`` names, or the one its suffix calls for."""
    path: str = args.facts
    return read_facts(path, ruleset=ruleset, reader=getattr(args, "reader", None))


def stdout() -> TextIO:
    """Where results are printed (a function, so that tests can put a full disk there)."""
    return sys.stdout


def output_failed(exc: OSError) -> DiagnosticError:
    """PR891: stdout cannot be written (``parindex schema > /dev/full``)."""
    return DiagnosticError(
        [
            Diagnostic.make(
                "PR891",
                f"cannot write output: {exc.strerror or exc}",
                file="<stdout>",
                hint="the output went to a full disk or a closed stream; free some space, or "
                "write to a file with --out",
            )
        ]
    )


def write_stdout(text: str) -> None:
    """Print `text` and flush it: a failure is PR891, not an internal error. (A closed pipe,
    `parindex ... | head`, is not an error: BrokenPipeError passes through.)"""
    stream = stdout()
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        discard_unwritten(stream)
        raise output_failed(exc) from None


def emit(text: str, out: str | None) -> None:
    """Print to stdout, or write atomically to `out`."""
    if out:
        write_atomic(Path(out), text)
    else:
        write_stdout(text if text.endswith("\n") else text + "\n")


def add_format(parser: argparse.ArgumentParser, choices: list[str], default: str) -> None:
    parser.add_argument(
        "--format", choices=choices, default=default, help=f"output format (default: {default})"
    )


def add_out(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", metavar="FILE", help="write to FILE (atomically) instead of stdout"
    )
