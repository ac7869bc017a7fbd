"""The `parindex` command: a thin layer over the public API.

Each verb lives in its own module with ``register(subparsers)``; they all share the error
handling here: problems are printed as ``FILE:LINE:COL: CODE message`` on stderr with exit 1,
bad usage exits 2, and no traceback ever reaches a user (set PARINDEX_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import traceback
from collections.abc import Sequence
from types import ModuleType

from parindex_rules import __version__
from parindex_rules.cli.common import CommandError, print_diagnostics, write_stdout
from parindex_rules.diagnostics import DiagnosticError


def command_modules() -> list[ModuleType]:
    """Every module of this package that defines ``register``: one verb each.

    A module may set ``ORDER`` (default 100) to place its verb in ``--help``.
    """
    modules = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == "common":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            modules.append(module)
    return sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parindex",
        description="Score, explain and rank Vietnam's administrative-reform index (Chỉ số CCHC).",
    )
    parser.add_argument("--version", action="version", version=f"parindex-rules {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for module in command_modules():
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
        write_stdout("")  # flush now: a full disk is reported (PR891), not lost at exit
        return code
    except DiagnosticError as exc:
        print_diagnostics(exc.diagnostics)
        return 1
    except CommandError as exc:
        print(f"parindex: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("parindex: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a traceback for users
        if os.environ.get("PARINDEX_DEBUG"):
            traceback.print_exc()
        print(
            f"parindex: internal error: {type(exc).__name__}: {exc} (set PARINDEX_DEBUG=1 for "
            "details, and please report it)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
