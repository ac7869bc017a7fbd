"""Write docs/diagnostics.md: every catalogued code with its slug, severity, meaning, an example
from the corpus (the bad input and the exact line printed) and how to fix it.

    python -m tests.hardening.diagnostics_doc          # rewrite docs/diagnostics.md

The examples run with only parindex-rules' own plugins, so that the page does not depend on
what else is installed; tests/hardening/test_diagnostics_doc.py checks that it is up to date.
"""

from __future__ import annotations

import contextlib
import importlib.metadata as metadata
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from parindex_rules.codes import CATALOGUE, Code
from parindex_rules.plugins import registry
from tests.hardening.corpus import CORPUS, Case, Printed, all_cases, import_all_modules, run_case
from tests.hardening.diagnostics_guide import HOW_TO_FIX

ROOT = Path(__file__).resolve().parent.parent.parent
DOC = ROOT / "docs" / "diagnostics.md"

#: The example shown for a code, when the first case expecting it is not the clearest.
PREFERRED = {
    "PR002": "generated/encoding-cp1258",
    "PR003": "load/zero-bytes.yaml",
    "PR004": "load/unclosed-quote.yaml",
    "PR012": "load/anchor-and-alias.yaml",
    "PR101": "model/unknown-policy.yaml",
    "PR103": "model/fields-not-a-list.yaml",
    "PR104": "model/level-unknown.yaml",
    "PR105": "model/max-not-decimal.yaml",
    "PR109": "model/unknown-method.yaml",
    "PR204": "structure/max-sum-below.yaml",
    "PR210": "structure/bands-gap.yaml",
    "PR211": "structure/bands-overlap.yaml",
    "PR213": "structure/choice-above-max.yaml",
    "PR302": "escapes/dunder-attribute.yaml",
    "PR303": "formulas/unknown-name.yaml",
    "PR306": "formulas/type-text.yaml",
    "PR307": "formulas/too-deep.yaml",
    "PR401": "graph/cycle-three.yaml",
    "PR504": "facts/choice-given-number.yaml",
    "PR505": "facts/percent-above-100.yaml",
    "PR507": "facts/score-not-allowed.yaml",
    "PR520": "facts/negative-score.yaml",
    "PR903": "generated/deep-yaml",
}
GROUPS = [
    ("PR0", "Loading files"),
    ("PR1", "The document model"),
    ("PR2", "Structure"),
    ("PR3", "Formulas"),
    ("PR4", "The evaluation graph"),
    ("PR5", "Facts"),
    ("PR6", "Workflow"),
    ("PR7", "Plugins"),
    ("PR8", "Input, output and the command line"),
    ("PR9", "Limits"),
]
WIDTH = 100


@contextlib.contextmanager
def core_plugins_only() -> Iterator[None]:
    """Load only the entry points parindex-rules itself registers (built-ins)."""
    real = metadata.entry_points

    def entry_points(**params: Any) -> Any:
        found = real(**params) if params else real().select()
        return metadata.EntryPoints(
            ep
            for ep in found
            if getattr(ep, "dist", None) is not None and ep.dist.name == "parindex-rules"
        )

    registry.reset()
    metadata.entry_points = entry_points  # type: ignore[assignment]
    cache_setting = os.environ.get("PARINDEX_NO_CACHE")
    os.environ["PARINDEX_NO_CACHE"] = "1"  # the examples never read or fill the user's cache
    try:
        yield
    finally:
        metadata.entry_points = real
        if cache_setting is None:
            del os.environ["PARINDEX_NO_CACHE"]
        else:
            os.environ["PARINDEX_NO_CACHE"] = cache_setting
        registry.reset()


def choose(code: str, cases: list[Case]) -> Case | None:
    if code in PREFERRED:
        return next(c for c in cases if c.name == PREFERRED[code])
    candidates = [c for c in cases if any(e.code == code for e in c.expected)]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (c.setup is not None, len(c.expected), c.name))


def example(code: str, case: Case) -> tuple[Printed, str, str]:
    """The printed line for `code`, the excerpt of the file it points into, and the command."""
    with tempfile.TemporaryDirectory() as folder:
        outcome = run_case(case, Path(folder))
        wanted = next(e for e in case.expected if e.code == code)
        printed = next(p for p in outcome.printed if p.key == wanted)
        base = Path(folder) if case.setup is not None else CORPUS
        excerpt = ""
        target = base / printed.file
        if case.setup is None and printed.line > 0 and target.is_file():
            excerpt = _excerpt(target.read_text(encoding="utf-8"), printed.line, printed.column)
    return printed, excerpt, "parindex " + " ".join(case.argv)


def _excerpt(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    first = max(1, line - 3)
    # Skip the case's own header comments (# expect: ...): they are not part of the input.
    while first < line and lines[first - 1].startswith("# "):
        first += 1
    out = []
    width = len(str(min(len(lines), line + 1)))
    for number in range(first, min(len(lines), line + 1) + 1):
        row, caret = lines[number - 1], column
        if len(row) > WIDTH:
            start = max(0, min(column - WIDTH // 2, len(row) - WIDTH))
            row = ("…" if start else "") + row[start : start + WIDTH] + "…"
            caret = column - start + (1 if start else 0)
        out.append(f"{number:>{width}} | {row}".rstrip())
        if number == line and column > 0:
            out.append(f"{'':>{width}} | {' ' * (caret - 1)}^")
    return "\n".join(out)


def render() -> str:
    import_all_modules()
    cases = all_cases()
    parts = [HEADER]
    codes = sorted(CATALOGUE.values(), key=lambda c: c.code)
    rows = [f"| [{c.code}](#{c.code.lower()}) | {c.slug} | {c.severity.value} | {c.summary} |"
            for c in codes]  # fmt: skip
    parts.append("\n".join(["| code | slug | severity | meaning |", "|---|---|---|---|", *rows]))
    with core_plugins_only():
        for prefix, title in GROUPS:
            group = [c for c in codes if c.code.startswith(prefix)]
            if not group:
                continue
            parts.append(f"## {title} ({prefix}xx)")
            parts += [_entry(c, choose(c.code, cases)) for c in group]
    return "\n\n".join(parts) + "\n"


def _entry(code: Code, case: Case | None) -> str:
    lines = [f"### {code.code}", "", f"`{code.slug}` · {code.severity.value} — {code.summary}"]
    if case is None:
        lines += ["", "*No command prints this code yet, so there is no example.*"]
    else:
        printed, excerpt, command = example(code.code, case)
        source = (
            f"generated by the test: {case.about}"
            if case.setup is not None
            else f"[`tests/corpus/{case.name}`](../tests/corpus/{case.name}) — {case.about}"
        )
        lines += ["", f"Example ({source}):"]
        if excerpt:
            lines += ["", "```text", excerpt, "```"]
        lines += ["", f"`{command}` prints:", "", "```text", printed.text, "```"]
    lines += ["", f"**How to fix.** {HOW_TO_FIX[code.code]}"]
    return "\n".join(lines)


HEADER = """# Diagnostics

Every problem parindex-rules finds is a diagnostic with a stable code. The command line prints
one line per diagnostic on stderr:

```text
FILE:LINE:COL: CODE message (at path.in.the.file; hint: what to do)
FILE:LINE:COL: CODE [warning] message
```

- `LINE` and `COL` are 1-based and count characters; `0:0` means the problem has no place in a
  file (a file that does not exist, a unit named on the command line).
- Errors make the command exit with status 1 and nothing is written; warnings and infos are
  printed and the command goes on. `parindex validate --strict` turns provisional content
  (PR230) into errors. Every problem is reported at once, in file order.
- The JSON form (`Diagnostic.to_json()`) has the same fields plus the code's `slug`.
- Codes are stable: a code keeps its meaning forever. The ranges follow the pipeline.

Each example below is a case of the bad-input corpus (`tests/corpus/`, run by
`tests/hardening/test_corpus.py`), shown with the exact line `parindex` prints for it. This
page is generated: `python -m tests.hardening.diagnostics_doc` rewrites it, and a test fails
when it is out of date or a code is missing."""


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {DOC.relative_to(ROOT)}\n")
