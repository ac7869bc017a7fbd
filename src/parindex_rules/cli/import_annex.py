"""`parindex import-annex FILE.docx|FILE.xlsx|FILE.csv --id ID [--level so|huyen|xa] --out FILE`:
a ruleset from the decision's own annex table.

The columns are found by their headers; the hierarchy comes from the STT numbering; rules that
have one of the recognised shapes become choices, bands or formulas, and the rest stay
``points`` items with their verbatim text and a ``# review:`` comment. The file is written
(atomically) even when the table is inconsistent, so that the author can fix it; the command
then exits 1 and says where.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from parindex_rules.annex.build import Options, import_table
from parindex_rules.annex.table import read_tables
from parindex_rules.annex.write import ruleset_yaml
from parindex_rules.api import loads
from parindex_rules.cli.common import CommandError, print_diagnostics
from parindex_rules.diagnostics import Diagnostic, DiagnosticError
from parindex_rules.fileio import write_atomic
from parindex_rules.model.common import RULESET_ID

ORDER = 75
LEVELS = ("so", "huyen", "xa")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "import-annex",
        help="write a ruleset from the decision's annex table (.docx, .xlsx or .csv)",
        description="Columns are found by their headers (STT; Lĩnh vực/Tiêu chí/Tiêu chí thành "
        "phần, Nội dung or Tiêu chí; Điểm tối đa; Cách chấm điểm and its variants; Tài liệu "
        "kiểm chứng; Ghi chú). Exit 1 when the table is inconsistent or the ruleset written "
        "does not compile (the diagnostics say where).",
    )
    parser.add_argument("file", metavar="FILE", help="the annex: .docx, .xlsx or .csv")
    parser.add_argument("--id", required=True, help="ruleset id, e.g. vinhlong-2023/so")
    parser.add_argument(
        "--level", choices=LEVELS, help="default: the set name of --id (so-trich → so)"
    )
    parser.add_argument("--out", required=True, metavar="FILE", help="the ruleset file to write")
    parser.add_argument("--title", help="the decision's own title of the index set")
    parser.add_argument("--province", help="the province's name, e.g. 'Cà Mau'")
    parser.add_argument("--decision", metavar="NUMBER", help="the decision's number")
    parser.add_argument("--year", type=int, help="evaluation year (default: from --id)")
    parser.add_argument(
        "--table", type=int, metavar="N", help="read the N-th table (Word) or sheet (Excel)"
    )
    parser.add_argument(
        "--excerpt",
        action="store_true",
        help="the table holds only some rows: an item whose rows add up to less than its "
        "printed maximum counts what is given (`excerpt_of` keeps the printed maximum)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not RULESET_ID.match(args.id):
        raise CommandError(f"--id {args.id!r} is not <province>-<year>/<set>, e.g. camau-2013/so")
    level = args.level or args.id.rsplit("/", 1)[1].split("-")[0]  # "so-trich" → so
    if level not in LEVELS:
        raise CommandError(
            f"give --level (one of {', '.join(LEVELS)}): the set name {level!r} is none"
        )
    out = Path(args.out)
    if out.exists() and not args.force:
        raise CommandError(f"{out} exists: use --force to overwrite it")
    source = Path(args.file)
    options = Options(
        id=args.id,
        level=level,
        title=args.title,
        province=args.province,
        decision=args.decision,
        year=args.year,
        excerpt=args.excerpt,
        table=args.table,
    )
    imported = import_table(read_tables(source, args.file), options, source.name)
    header = [
        f"Nhập từ {source.name} ({imported.table.name}) bằng `parindex import-annex`.",
        "Kiểm tra các dòng `review:` và các cảnh báo trước khi dùng.",
    ]
    text = ruleset_yaml(imported.data, imported.reviews, header)
    compiled: list[Diagnostic] = []
    try:
        ruleset = loads(text, str(out))
        compiled = [d for d in ruleset.diagnostics if d.code != "PR231"]
    except DiagnosticError as exc:
        compiled = exc.diagnostics
    write_atomic(out, text)
    diagnostics = imported.diagnostics + compiled
    print_diagnostics(diagnostics)
    methods = Counter(imported.recognised.values())
    summary = ", ".join(f"{n} {m}" for m, n in sorted(methods.items()))
    failed = any(d.is_error for d in diagnostics)
    state = "does not compile yet (see above)" if failed else "compiles"
    print(
        f"wrote {out}: {len(imported.recognised)} leaves ({summary}); it {state}", file=sys.stderr
    )
    return 1 if failed else 0
