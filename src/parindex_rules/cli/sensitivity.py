"""`parindex sensitivity RULESET --facts FILE --vary SPEC --replicates N [--seed S]`.

How stable each unit's rank is when declared parameters vary: rank intervals per unit and the
parameters that move ranks most (docs/scale.md gives the SPEC syntax).
"""

from __future__ import annotations

import argparse
import json

from parindex_rules.cli.common import (
    CommandError,
    add_facts,
    add_format,
    add_out,
    emit,
    load_facts_for,
    load_ruleset,
)
from parindex_rules.codes import Code, Severity, register_codes
from parindex_rules.diagnostics import Diagnostic, DiagnosticError
from parindex_rules.evaluate.engine import STAGES

ORDER = 75

register_codes(
    Code(
        "PR829",
        "batch-extra-missing",
        Severity.ERROR,
        "The command needs numpy (the `batch` extra), which is not installed.",
    ),
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sensitivity",
        help="rank intervals when band thresholds, weights or maxima vary (Monte Carlo)",
        description="Vary declared parameters over seeded replicates; report each unit's rank "
        "interval and which parameters move ranks most. SPEC: threshold:ITEM[@VALUE]=±X, "
        "max:NODE=±X[%%], weight:ORIGIN_OR_NODE=±X%% (optional /STEP); see docs/scale.md.",
    )
    parser.add_argument("ruleset", metavar="RULESET", help="an installed id or a file")
    add_facts(parser)
    parser.add_argument(
        "--vary",
        action="append",
        required=True,
        metavar="SPEC",
        help="a parameter to vary, e.g. threshold:1.1.4=±5 (repeat for several)",
    )
    parser.add_argument("--replicates", type=int, default=1000, metavar="N")
    parser.add_argument("--seed", type=int, default=0, metavar="S")
    parser.add_argument("--stage", choices=list(STAGES), default="final")
    add_format(parser, ["text", "json"], "text")
    add_out(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        from parindex_rules.sensitivity import SpecError, analyse
    except ImportError:  # numpy missing: tests/hardening/generated.py, batch-extra-missing
        raise DiagnosticError(
            [
                Diagnostic.make(
                    "PR829",
                    "sensitivity analysis needs numpy, which is not installed",
                    file=args.facts,
                    hint="install the batch support: pip install 'parindex-rules[batch]'",
                )
            ]
        ) from None
    if args.replicates < 1 or args.replicates > 1_000_000:
        raise CommandError("--replicates must be between 1 and 1,000,000")
    ruleset = load_ruleset(args.ruleset)
    facts = load_facts_for(ruleset, args)
    try:
        result = analyse(
            ruleset,
            facts,
            args.vary,
            replicates=args.replicates,
            seed=args.seed,
            stage=args.stage,
        )
    except SpecError as exc:
        raise CommandError(f"--vary {exc}") from None
    if args.format == "json":
        emit(json.dumps(result.to_json(), ensure_ascii=False, indent=2), args.out)
    else:
        emit(result.to_text(), args.out)
    return 0
