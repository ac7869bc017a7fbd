"""The plugin registry: scoring methods, formula functions, fact readers, exporters, ruleset packs.

Everything the core uses by name comes from here, built-ins included: our own pyproject.toml
registers the built-in methods and functions through the same entry-point groups a third-party
package uses, so nothing built in is special. A plugin that fails to import, has the wrong type
or targets another API version becomes a diagnostic naming the plugin; the others keep working.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from parindex_rules.codes import Code, Severity, register_codes
from parindex_rules.diagnostics import Diagnostic

#: The plugin API version this core implements. A plugin declares the version it targets.
API_VERSION = 1

GROUPS = {
    "methods": "parindex_rules.methods",
    "functions": "parindex_rules.functions",
    "readers": "parindex_rules.readers",
    "exporters": "parindex_rules.exporters",
    "rulesets": "parindex_rules.rulesets",
}

register_codes(
    Code("PR701", "plugin-import", Severity.ERROR, "A plugin could not be imported."),
    Code(
        "PR702",
        "plugin-type",
        Severity.ERROR,
        "A plugin object is not of the kind its group needs.",
    ),
    Code("PR703", "plugin-api-version", Severity.ERROR, "A plugin targets another API version."),
    Code("PR704", "plugin-raised", Severity.ERROR, "A plugin raised an exception while working."),
    Code("PR705", "plugin-duplicate", Severity.WARNING, "Two plugins register the same name."),
)


@dataclass
class PluginInfo:
    """Where a registered object came from, for `parindex list` and diagnostics."""

    group: str
    name: str
    value: str
    distribution: str | None
    version: str | None
    obj: Any = None
    error: Diagnostic | None = None


@dataclass
class _Group:
    loaded: bool = False
    items: dict[str, PluginInfo] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)


Validator = Callable[[str, Any], str | None]


class Registry:
    """Loads entry points lazily, once per group; `register` is for tests and applications."""

    def __init__(self) -> None:
        self._groups: dict[str, _Group] = {kind: _Group() for kind in GROUPS}
        self._validators: dict[str, Validator] = {}
        self._lock = threading.RLock()

    def set_validator(self, kind: str, validator: Validator) -> None:
        """`validator(name, obj)` returns a problem text, or None when `obj` fits the group."""
        self._validators[kind] = validator

    def _load(self, kind: str) -> _Group:
        group = self._groups[kind]
        if group.loaded:
            return group
        with self._lock:
            if group.loaded:
                return group
            for entry in sorted(
                metadata.entry_points(group=GROUPS[kind]), key=lambda e: (e.name, e.value)
            ):
                dist = getattr(entry, "dist", None)
                info = PluginInfo(
                    group=kind,
                    name=entry.name,
                    value=entry.value,
                    distribution=dist.metadata["Name"] if dist is not None else None,
                    version=dist.version if dist is not None else None,
                )
                label = f"{info.distribution or '?'}:{entry.name}"
                try:
                    obj = entry.load()
                except Exception as exc:  # a broken plugin must not take the others down
                    info.error = Diagnostic.make(
                        "PR701",
                        f"plugin {label} ({entry.value}) failed to import: "
                        f"{type(exc).__name__}: {exc}",
                        file=f"<plugin {label}>",
                    )
                    group.problems.append(info.error)
                    group.items.setdefault(entry.name, info)
                    continue
                problem = self._check(kind, entry.name, obj)
                if problem is not None:
                    code, text = problem
                    info.error = Diagnostic.make(
                        code, f"plugin {label}: {text}", file=f"<plugin {label}>"
                    )
                    group.problems.append(info.error)
                    group.items.setdefault(entry.name, info)
                    continue
                info.obj = obj
                previous = group.items.get(entry.name)
                if previous is not None and previous.obj is not None:
                    group.problems.append(
                        Diagnostic.make(
                            "PR705",
                            f"{kind} {entry.name!r} is registered by both "
                            f"{previous.distribution} and {info.distribution}; keeping "
                            f"{previous.distribution}",
                            file=f"<plugin {label}>",
                        )
                    )
                    continue
                group.items[entry.name] = info
            group.loaded = True
        return group

    def _check(self, kind: str, name: str, obj: Any) -> tuple[str, str] | None:
        version = getattr(obj, "api_version", None)
        if version is not None and version != API_VERSION:
            return (
                "PR703",
                f"targets plugin API version {version}, but this parindex-rules implements "
                f"version {API_VERSION}",
            )
        validator = self._validators.get(kind)
        if validator is not None:
            try:
                text = validator(name, obj)
            except Exception as exc:  # a validator looking at a broken object
                text = f"{type(exc).__name__}: {exc}"
            if text is not None:
                return ("PR702", text)
        return None

    def register(self, kind: str, name: str, obj: Any, *, distribution: str = "<runtime>") -> None:
        """Register `obj` under `name` (replacing any entry of that name). Checked like a plugin."""
        group = self._load(kind)
        problem = self._check(kind, name, obj)
        if problem is not None:
            raise TypeError(problem[1])
        group.items[name] = PluginInfo(kind, name, repr(obj), distribution, None, obj)

    def unregister(self, kind: str, name: str) -> None:
        self._load(kind).items.pop(name, None)

    def get(self, kind: str, name: str) -> Any | None:
        info = self._load(kind).items.get(name)
        return info.obj if info is not None else None

    def names(self, kind: str) -> list[str]:
        return sorted(n for n, i in self._load(kind).items.items() if i.obj is not None)

    def infos(self, kind: str) -> list[PluginInfo]:
        return [self._load(kind).items[n] for n in sorted(self._load(kind).items)]

    def problems(self, kind: str | None = None) -> list[Diagnostic]:
        kinds = [kind] if kind else list(GROUPS)
        return [d for k in kinds for d in self._load(k).problems]

    def reset(self) -> None:
        """Forget everything loaded (tests; after installing a plugin at run time)."""
        with self._lock:
            self._groups = {kind: _Group() for kind in GROUPS}


#: The process-wide registry.
registry = Registry()
