"""Result exporters: a cohort's results written in some format (JSON, text, xlsx, HTML, ...).

An exporter is registered in the ``parindex_rules.exporters`` entry-point group, like the
built-in JSON and text exporters. It returns the whole file's content; the CLI writes it
atomically. Output must be deterministic: the same inputs give byte-identical output.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

from parindex_rules.diagnostics import Diagnostic, DiagnosticError
from parindex_rules.plugins import API_VERSION, one_line, registry
from parindex_rules.report.json import dumps, unit_json
from parindex_rules.report.notes import ensure_ranked
from parindex_rules.report.text import render_table

if TYPE_CHECKING:
    from parindex_rules.api import CohortResult, Ruleset


@runtime_checkable
class Exporter(Protocol):
    api_version: ClassVar[int]
    #: The usual file suffix, with the dot.
    suffix: ClassVar[str]
    #: True when `export` returns bytes.
    binary: ClassVar[bool]
    summary: ClassVar[str]

    def export(self, ruleset: Ruleset, cohort: CohortResult) -> str | bytes: ...


class JsonExporter:
    api_version: ClassVar[int] = API_VERSION
    suffix: ClassVar[str] = ".json"
    binary: ClassVar[bool] = False
    summary: ClassVar[str] = "the `score` JSON of shared/interfaces.md"

    def export(self, ruleset: Ruleset, cohort: CohortResult) -> str:
        ensure_ranked(ruleset, cohort)  # as the xlsx and html exporters: ranks, not nulls
        return dumps(
            {
                "ruleset": ruleset.id,
                "provisional": ruleset.provisional,
                "stage": cohort.stage,
                "units": [unit_json(u) for u in cohort.units],
            }
        )


class TextExporter:
    api_version: ClassVar[int] = API_VERSION
    suffix: ClassVar[str] = ".txt"
    binary: ClassVar[bool] = False
    summary: ClassVar[str] = "plain-text tables"

    def export(self, ruleset: Ruleset, cohort: CohortResult) -> str:
        ensure_ranked(ruleset, cohort)
        return render_table(ruleset, cohort)


def _validate_exporter(name: str, obj: object) -> str | None:
    exporter = obj() if isinstance(obj, type) else obj
    if not isinstance(exporter, Exporter):
        return f"{obj!r} is not an Exporter (needs suffix, binary, summary and export())"
    return None


registry.set_validator("exporters", _validate_exporter)


def exporters() -> dict[str, Exporter]:
    out: dict[str, Exporter] = {}
    for name in registry.names("exporters"):
        obj = registry.get("exporters", name)
        exporter = obj() if isinstance(obj, type) else obj
        if isinstance(exporter, Exporter):
            out[name] = exporter
    return out


def exporter(name: str) -> Exporter:
    """The installed exporter `name`; a missing one is PR708 (with did-you-mean)."""
    available = exporters()
    found = available.get(name)
    if found is None:
        close = difflib.get_close_matches(name, list(available), n=1, cutoff=0.6)
        raise DiagnosticError(
            [
                Diagnostic.make(
                    "PR708",
                    f"no exporter named {name!r}",
                    file="<exporters>",
                    hint=(f"did you mean {close[0]!r}? " if close else "")
                    + "installed: "
                    + ", ".join(sorted(available)),
                )
            ]
        )
    return found


def export(name: str, ruleset: Ruleset, cohort: CohortResult) -> str | bytes:
    """Run the exporter `name`; a missing exporter or an exporter's bug is a diagnostic."""
    chosen = exporter(name)
    info = registry.info("exporters", name)
    label = f"{name!r}" + (f" ({info.distribution})" if info and info.distribution else "")
    try:
        content = chosen.export(ruleset, cohort)
    except DiagnosticError:
        raise
    except Exception as exc:  # a plugin exporter's bug, never a traceback
        raise DiagnosticError(
            [
                Diagnostic.make(
                    "PR704", f"exporter {label} raised {one_line(exc)}", file="<exporters>"
                )
            ]
        ) from None
    wanted = bytes if chosen.binary else str
    if not isinstance(content, wanted):
        raise DiagnosticError(
            [
                Diagnostic.make(
                    "PR707",
                    f"exporter {label} returned {type(content).__name__}, not {wanted.__name__}",
                    file="<exporters>",
                )
            ]
        )
    return content
