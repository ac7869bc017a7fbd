"""Fact readers: how a facts file of some format becomes :class:`Facts`.

A reader is registered in the ``parindex_rules.readers`` entry-point group (the built-in YAML/JSON
reader is registered there too) and is chosen by the file's suffix. Readers for CSV and Excel
files, or a province's own database export, plug in the same way (docs/plugins.md).
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

from parindex_rules.diagnostics import Diagnostic, DiagnosticError, FactsError
from parindex_rules.loader.facts import Facts, load_facts
from parindex_rules.plugins import API_VERSION, one_line, registry

if TYPE_CHECKING:
    from parindex_rules.api import Ruleset


@runtime_checkable
class FactsReader(Protocol):
    """Reads one file into Facts; problems are raised as FactsError with located diagnostics."""

    api_version: ClassVar[int]
    #: File suffixes handled, lower case, with the dot: (".csv",).
    suffixes: ClassVar[tuple[str, ...]]
    #: One line for `parindex list`.
    summary: ClassVar[str]

    def read(self, path: Path, *, ruleset: Ruleset | None = None) -> Facts: ...


class YamlFactsReader:
    """The facts format of shared/interfaces.md, in YAML or JSON."""

    api_version: ClassVar[int] = API_VERSION
    suffixes: ClassVar[tuple[str, ...]] = (".yaml", ".yml", ".json")
    summary: ClassVar[str] = "facts file in YAML or JSON (docs/facts-format.md)"

    def read(self, path: Path, *, ruleset: Ruleset | None = None) -> Facts:
        return load_facts(path)


def _validate_reader(name: str, obj: object) -> str | None:
    reader = obj() if isinstance(obj, type) else obj
    if not isinstance(reader, FactsReader):
        return f"{obj!r} is not a FactsReader (needs suffixes, summary and read())"
    return None


registry.set_validator("readers", _validate_reader)


def readers() -> dict[str, FactsReader]:
    out: dict[str, FactsReader] = {}
    for name in registry.names("readers"):
        obj = registry.get("readers", name)
        reader = obj() if isinstance(obj, type) else obj
        if isinstance(reader, FactsReader):
            out[name] = reader
    return out


def reader_for(path: Path, *, name: str | None = None) -> FactsReader:
    """The reader named `name`, or the one whose suffixes match the file."""
    return _choose(path, name)[1]


def _choose(path: Path, name: str | None) -> tuple[str, FactsReader]:
    available = readers()
    if name is not None:
        if name in available:
            return name, available[name]
        close = difflib.get_close_matches(name, list(available), n=1, cutoff=0.6)
        raise FactsError(
            [
                Diagnostic.make(
                    "PR801",
                    f"no facts reader named {name!r}",
                    file=str(path),
                    hint=(f"did you mean {close[0]!r}? " if close else "")
                    + "installed: "
                    + ", ".join(sorted(available)),
                )
            ]
        )
    suffix = path.suffix.lower()
    for reader_name, reader in available.items():
        if suffix in reader.suffixes:
            return reader_name, reader
    known = sorted({s for r in available.values() for s in r.suffixes})
    raise FactsError(
        [
            Diagnostic.make(
                "PR801",
                f"no facts reader for {suffix or 'files without a suffix'}",
                file=str(path),
                hint="known: " + ", ".join(known) + "; or name the reader to use (--reader NAME)",
            )
        ]
    )


def read_facts(
    path: str | Path, *, ruleset: Ruleset | None = None, reader: str | None = None
) -> Facts:
    """Read any supported facts file. A reader's own bug is reported naming the reader."""
    target = Path(path)
    name, chosen = _choose(target, reader)
    try:
        facts = chosen.read(target, ruleset=ruleset)
    except FactsError:
        raise
    except DiagnosticError as exc:
        raise FactsError(exc.diagnostics) from None
    except Exception as exc:  # a plugin reader's bug, never a traceback
        raise FactsError(
            [
                Diagnostic.make(
                    "PR704", f"facts reader {_label(name)} raised {one_line(exc)}", file=str(path)
                )
            ]
        ) from None
    if not isinstance(facts, Facts):
        raise FactsError(
            [
                Diagnostic.make(
                    "PR707",
                    f"facts reader {_label(name)} returned {type(facts).__name__}, not Facts",
                    file=str(path),
                )
            ]
        )
    return facts


def _label(name: str) -> str:
    info = registry.info("readers", name)
    where = f" ({info.distribution})" if info is not None and info.distribution else ""
    return f"{name!r}{where}"
