"""Helpers shared by the CLI verbs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from parindex_rules.api import Ruleset, load
from parindex_rules.diagnostics import Diagnostic, sort_diagnostics
from parindex_rules.fileio import write_atomic
from parindex_rules.loader.facts import Facts
from parindex_rules.readers import read_facts


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


def load_facts_for(ruleset: Ruleset, path: str) -> Facts:
    """Read a facts file with the reader its suffix calls for (YAML/JSON, or a plugin's)."""
    return read_facts(path, ruleset=ruleset)


def emit(text: str, out: str | None) -> None:
    """Print to stdout, or write atomically to `out`."""
    if out:
        write_atomic(Path(out), text)
    else:
        sys.stdout.write(text)
        if not text.endswith("\n"):
            sys.stdout.write("\n")


def add_format(parser: argparse.ArgumentParser, choices: list[str], default: str) -> None:
    parser.add_argument(
        "--format", choices=choices, default=default, help=f"output format (default: {default})"
    )


def add_out(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", metavar="FILE", help="write to FILE (atomically) instead of stdout"
    )
