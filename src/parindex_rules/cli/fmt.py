"""`parindex fmt PATH... [--check]`: rewrite rulesets in the canonical layout.

Folders are searched for ``*.yaml`` files. Without ``--check`` each file that is not in the
canonical layout is rewritten atomically; with ``--check`` nothing is written and the command
exits 1 if any file would change. A file that cannot be read is reported with its position and
left as it is.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from parindex_rules import limits
from parindex_rules.authoring.fmt import format_text
from parindex_rules.cli.common import print_diagnostics
from parindex_rules.diagnostics import Diagnostic, DiagnosticError
from parindex_rules.fileio import write_atomic
from parindex_rules.loader.yaml import read_text

ORDER = 65


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "fmt",
        help="rewrite rulesets in the canonical layout (comments kept)",
        description="Canonical key order, indentation and quoting; comments and Vietnamese "
        "text kept; the meaning never changes.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="ruleset files or folders")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if any file is not in the canonical layout",
    )
    parser.set_defaults(run=run)


def files_under(paths: list[str]) -> tuple[list[Path], list[Diagnostic]]:
    """The files to format, and a PR001 for each path that is neither a file nor a folder."""
    out: list[Path] = []
    missing: list[Diagnostic] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*.yaml") if p.is_file()))
        elif path.is_file():
            out.append(path)
        else:
            missing.append(
                Diagnostic.make("PR001", "cannot read file: No such file or directory", file=text)
            )
    return out, missing


def run(args: argparse.Namespace) -> int:
    changed: list[Path] = []
    files, missing = files_under(args.paths)
    print_diagnostics(missing)
    failed = bool(missing)
    for path in files:
        try:
            text = read_text(path, max_bytes=limits.MAX_RULESET_BYTES)
            formatted = format_text(text, str(path))
        except DiagnosticError as exc:
            print_diagnostics(exc.diagnostics)
            failed = True
            continue
        if formatted == text:
            continue
        changed.append(path)
        if args.check:
            print(f"would reformat {path}", file=sys.stderr)
        else:
            write_atomic(path, formatted)
            print(f"formatted {path}", file=sys.stderr)
    if failed or (args.check and changed):
        return 1
    return 0
