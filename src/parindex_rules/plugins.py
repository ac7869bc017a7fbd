"""The plugin registry: scoring methods, formula functions, fact readers, exporters, ruleset packs.

Everything the core uses by name comes from here, built-ins included: our own pyproject.toml
registers the built-in methods, functions, readers, exporters and ruleset pack through the same
entry-point groups a third-party package uses, so nothing built in is special. A plugin that
fails to import, has the wrong type or targets another API version becomes a diagnostic naming
the plugin and its distribution; the others keep working. docs/plugins.md is the user's guide.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from parindex_rules.codes import Code, Severity, register_codes
from parindex_rules.diagnostics import Diagnostic

#: The plugin API version this core implements. A plugin declares the version it targets.
API_VERSION = 1

#: The distribution of the core itself: its entries are the built-ins.
CORE_DISTRIBUTION = "parindex-rules"

#: What :meth:`Registry.register` records as the distribution of objects registered at run time.
RUNTIME = "<runtime>"

GROUPS = {
    "methods": "parindex_rules.methods",
    "functions": "parindex_rules.functions",
    "readers": "parindex_rules.readers",
    "exporters": "parindex_rules.exporters",
    "rulesets": "parindex_rules.rulesets",
}

#: The module that states each group's contract and sets its validator. It is imported before
#: the group is loaded, so a plugin is always checked, whoever asks first.
CONTRACTS = {
    "methods": "parindex_rules.methods.base",
    "functions": "parindex_rules.compile.compiler",
    "readers": "parindex_rules.readers",
    "exporters": "parindex_rules.exporters",
    "rulesets": "parindex_rules.loader.resolve",
}

#: Groups whose objects are code and must declare the API version they target. Ruleset packs
#: are data: their rulesets are validated like any ruleset file.
VERSIONED = frozenset({"methods", "functions", "readers", "exporters"})

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
    Code(
        "PR706",
        "plugin-api-undeclared",
        Severity.ERROR,
        "A plugin does not declare the API version it targets.",
    ),
    Code(
        "PR707",
        "plugin-contract",
        Severity.ERROR,
        "A plugin returned something its contract does not allow.",
    ),
    Code(
        "PR708", "unknown-plugin", Severity.ERROR, "No installed plugin of this kind has this name."
    ),
)


def one_line(exc: BaseException, limit: int = 300) -> str:
    """``Type: message`` on one line and of bounded length: what a diagnostic quotes of an error."""
    text = " ".join(str(exc).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def declared_api_version(obj: Any) -> Any:
    """The ``api_version`` a plugin states itself, or None when it only inherits the core's.

    A class inheriting ``api_version`` from a base class of this package (``ScoringMethod``)
    does not declare anything: it would claim whatever version happens to be installed.
    """
    if not isinstance(obj, type):
        own = getattr(obj, "__dict__", {})
        if "api_version" in own:
            return own["api_version"]
        obj = type(obj)
    for klass in obj.__mro__:
        if "api_version" in vars(klass):
            if klass.__module__.partition(".")[0] == "parindex_rules":
                return None
            return vars(klass)["api_version"]
    return None


def summary_of(obj: Any) -> str:
    """The one-line description a plugin gives of itself (``summary``, or a function's ``doc``)."""
    for attribute in ("summary", "doc", "description"):
        text = getattr(obj, attribute, None)
        if isinstance(text, str) and text.strip():
            return " ".join(text.split())
    return ""


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

    @property
    def label(self) -> str:
        """``distribution:name``, how diagnostics name the plugin."""
        return f"{self.distribution or '?'}:{self.name}"

    @property
    def working(self) -> bool:
        return self.error is None and self.obj is not None

    @property
    def summary(self) -> str:
        return summary_of(self.obj) if self.obj is not None else ""


@dataclass
class _Group:
    loaded: bool = False
    items: dict[str, PluginInfo] = field(default_factory=dict)
    broken: list[PluginInfo] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


Validator = Callable[[str, Any], str | None]


def _precedence(entry: metadata.EntryPoint) -> tuple[str, int, str, str]:
    """Built-ins first, then other distributions by name: a clash has a stable, fair winner."""
    name = _distribution(entry)[0] or ""
    return (entry.name, 0 if name == CORE_DISTRIBUTION else 1, name.lower(), entry.value)


def _distribution(entry: metadata.EntryPoint) -> tuple[str | None, str | None]:
    dist = getattr(entry, "dist", None)
    if dist is None:
        return None, None
    try:
        return dist.metadata["Name"], dist.version
    except Exception:  # a distribution with unreadable metadata
        return None, None


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
            group = self._groups[kind]
            if group.loaded:
                return group
            if kind not in self._validators:
                importlib.import_module(CONTRACTS[kind])
            entries = sorted(metadata.entry_points(group=GROUPS[kind]), key=_precedence)
            for entry in entries:
                self._load_entry(kind, group, entry)
            group.loaded = True
        return group

    def _load_entry(self, kind: str, group: _Group, entry: metadata.EntryPoint) -> None:
        distribution, version = _distribution(entry)
        info = PluginInfo(kind, entry.name, entry.value, distribution, version)
        try:
            obj = entry.load()
        except (Exception, SystemExit) as exc:  # a broken plugin must not take the others down
            self._broken(
                group, info, "PR701", f"cannot be imported ({entry.value}): {one_line(exc)}"
            )
            return
        problem = self._check(kind, entry.name, obj, distribution)
        if problem is not None:
            self._broken(group, info, *problem)
            return
        info.obj = obj
        previous = group.items.get(entry.name)
        if previous is not None:
            group.problems.append(
                Diagnostic.make(
                    "PR705",
                    f"{kind} {entry.name!r} is registered by both {previous.distribution} and "
                    f"{distribution}; {previous.distribution}'s is used",
                    file=f"<plugin {info.label}>",
                    hint="rename one of them (plugins should use distinctive names)",
                )
            )
            return
        group.items[entry.name] = info

    @staticmethod
    def _broken(group: _Group, info: PluginInfo, code: str, text: str) -> None:
        text = " ".join(text.split())  # one line, whatever the plugin's messages hold
        info.error = Diagnostic.make(
            code, f"plugin {info.label}: {text}", file=f"<plugin {info.label}>"
        )
        group.broken.append(info)
        group.problems.append(info.error)

    def _check(
        self, kind: str, name: str, obj: Any, distribution: str | None
    ) -> tuple[str, str] | None:
        if kind in VERSIONED:
            version = declared_api_version(obj)
            if version is None and distribution not in (CORE_DISTRIBUTION, RUNTIME):
                return (
                    "PR706",
                    f"does not declare the plugin API version it targets "
                    f"(set `api_version = {API_VERSION}` on the plugin itself)",
                )
            if version is not None and (type(version) is not int or version != API_VERSION):
                return (
                    "PR703",
                    f"targets plugin API version {version!r}, but this parindex-rules "
                    f"implements version {API_VERSION}",
                )
        validator = self._validators.get(kind)
        if validator is not None:
            try:
                text = validator(name, obj)
            except Exception as exc:  # a validator looking at a broken object
                text = one_line(exc)
            if text is not None:
                return ("PR702", text)
        return None

    def register(self, kind: str, name: str, obj: Any, *, distribution: str = RUNTIME) -> None:
        """Register `obj` under `name` (replacing any entry of that name). Checked like a plugin.

        Objects registered at run time belong to the running application, so they need not
        declare an API version; a declared one must match.
        """
        group = self._load(kind)
        problem = self._check(kind, name, obj, distribution)
        if problem is not None:
            raise TypeError(f"{kind} {name!r}: {problem[1]}")
        group.items[name] = PluginInfo(kind, name, repr(obj), distribution, None, obj)

    def unregister(self, kind: str, name: str) -> None:
        self._load(kind).items.pop(name, None)

    def get(self, kind: str, name: str) -> Any | None:
        info = self._load(kind).items.get(name)
        return info.obj if info is not None else None

    def info(self, kind: str, name: str) -> PluginInfo | None:
        """Where the working plugin `name` comes from (None when there is none)."""
        return self._load(kind).items.get(name)

    def names(self, kind: str) -> list[str]:
        """The names of the working plugins of a group, sorted."""
        return sorted(self._load(kind).items)

    def infos(self, kind: str) -> list[PluginInfo]:
        """Working plugins, then broken ones, each sorted by name."""
        group = self._load(kind)
        working = [group.items[n] for n in sorted(group.items)]
        return working + sorted(group.broken, key=lambda i: (i.name, i.label))

    def broken(self, kind: str | None = None) -> list[PluginInfo]:
        kinds = [kind] if kind else list(GROUPS)
        return [i for k in kinds for i in self._load(k).broken]

    def problems(self, kind: str | None = None) -> list[Diagnostic]:
        """Every problem found while loading (broken plugins, duplicate names)."""
        kinds = [kind] if kind else list(GROUPS)
        return [d for k in kinds for d in self._load(k).problems]

    def reset(self) -> None:
        """Forget everything loaded (tests; after installing a plugin at run time)."""
        with self._lock:
            self._groups = {kind: _Group() for kind in GROUPS}


#: The process-wide registry.
registry = Registry()
