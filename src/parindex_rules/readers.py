"""Fact readers: how a facts file of some format becomes :class:`Facts`.

A reader is registered in the ``parindex_rules.readers`` entry-point group (the built-in YAML/JSON
reader is registered there too) and is chosen by the file's suffix. Readers for CSV and Excel
files, or a province's own database export, plug in the same way (docs/plugins.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

from parindex_rules.diagnostics import Diagnostic, FactsError
from parindex_rules.loader.facts import Facts, load_facts
from parindex_rules.plugins import API_VERSION, registry

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
    available = readers()
    if name is not None:
        if name in available:
            return available[name]
        raise FactsError(
            [
                Diagnostic.make(
                    "PR801",
                    f"no facts reader named {name!r}",
                    file=str(path),
                    hint="installed: " + ", ".join(sorted(available)),
                )
            ]
        )
    suffix = path.suffix.lower()
    for reader in available.values():
        if suffix in reader.suffixes:
            return reader
    known = sorted({s for r in available.values() for s in r.suffixes})
    raise FactsError(
        [
            Diagnostic.make(
                "PR801",
                f"no facts reader for {suffix or 'files without a suffix'}",
                file=str(path),
                hint="known: " + ", ".join(known),
            )
        ]
    )


def read_facts(
    path: str | Path, *, ruleset: Ruleset | None = None, reader: str | None = None
) -> Facts:
    """Read any supported facts file."""
    target = Path(path)
    chosen = reader_for(target, name=reader)
    try:
        return chosen.read(target, ruleset=ruleset)
    except FactsError:
        raise
    except Exception as exc:  # a plugin reader's bug, never a traceback
        raise FactsError(
            [
                Diagnostic.make(
                    "PR704",
                    f"facts reader {type(chosen).__name__} raised {type(exc).__name__}: {exc}",
                    file=str(path),
                )
            ]
        ) from None
