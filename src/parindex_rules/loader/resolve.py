"""Find a ruleset by id (``vinhlong-2023/so``) or by path.

Ids are looked up in ruleset packs: this package's own ``rulesets/`` folder and any package
registered in the ``parindex_rules.rulesets`` entry-point group. A pack maps
``<province>-<year>/<set>`` to ``<province>-<year>/<set>.yaml`` under its root folder.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from parindex_rules.diagnostics import Diagnostic, RulesetError
from parindex_rules.model.common import RULESET_ID
from parindex_rules.plugins import CORE_DISTRIBUTION, registry


@dataclass(frozen=True)
class RulesetPack:
    """A folder of rulesets shipped by a package (``<province>-<year>/<set>.yaml``)."""

    name: str
    package: str
    folder: str = ""

    def root(self) -> Traversable:
        base = resources.files(self.package)
        return base.joinpath(self.folder) if self.folder else base

    def ids(self) -> list[str]:
        out: list[str] = []
        root = self.root()
        if not root.is_dir():
            return out
        for province in sorted(root.iterdir(), key=lambda p: p.name):
            if not province.is_dir() or province.name.startswith((".", "_")):
                continue
            for entry in sorted(province.iterdir(), key=lambda p: p.name):
                if entry.is_file() and entry.name.endswith(".yaml"):
                    ruleset_id = f"{province.name}/{entry.name[:-5]}"
                    if RULESET_ID.match(ruleset_id):
                        out.append(ruleset_id)
        return out

    def find(self, ruleset_id: str) -> Traversable | None:
        province, _, name = ruleset_id.partition("/")
        entry = self.root().joinpath(province).joinpath(f"{name}.yaml")
        return entry if entry.is_file() else None


#: The rulesets shipped with parindex-rules (registered in pyproject.toml like any pack).
BUILTIN_PACK = RulesetPack(name="parindex-rules", package="parindex_rules.rulesets")


def _validate_pack(name: str, obj: object) -> str | None:
    if not isinstance(obj, RulesetPack):
        return f"{obj!r} is not a RulesetPack"
    try:
        root = obj.root()
        found = root.is_dir()
    except Exception as exc:  # e.g. the package named does not exist
        return f"its package {obj.package!r} cannot be opened ({type(exc).__name__}: {exc})"
    if not found:
        return f"its folder {obj.folder or '.'!r} is missing from package {obj.package!r}"
    return None


registry.set_validator("rulesets", _validate_pack)


def packs() -> list[RulesetPack]:
    """Installed packs: the core's own first, then the others by name."""
    infos = [registry.info("rulesets", n) for n in registry.names("rulesets")]
    ordered = sorted(
        (i for i in infos if i is not None),
        key=lambda i: (i.distribution != CORE_DISTRIBUTION, i.name),
    )
    return [i.obj for i in ordered]


def index() -> tuple[dict[str, RulesetPack], list[Diagnostic]]:
    """Every installed ruleset id and its pack; an id shipped twice is a warning (PR705)."""
    out: dict[str, RulesetPack] = {}
    problems: list[Diagnostic] = []
    for pack in packs():
        try:
            ids = pack.ids()
        except Exception as exc:  # a pack whose folder became unreadable
            problems.append(
                Diagnostic.make(
                    "PR704",
                    f"ruleset pack {pack.name!r} cannot be listed: {type(exc).__name__}: {exc}",
                    file=f"<pack {pack.name}>",
                )
            )
            continue
        for ruleset_id in ids:
            first = out.setdefault(ruleset_id, pack)
            if first is not pack:
                problems.append(
                    Diagnostic.make(
                        "PR705",
                        f"ruleset {ruleset_id} is shipped by both {first.name!r} and "
                        f"{pack.name!r}; {first.name!r}'s is used",
                        file=f"<pack {pack.name}>",
                    )
                )
    return out, problems


def known_ids() -> dict[str, RulesetPack]:
    return index()[0]


def looks_like_path(ref: str) -> bool:
    return (
        ref.endswith((".yaml", ".yml", ".json")) or "\\" in ref or ref.startswith((".", "/", "~"))
    )


@dataclass(frozen=True)
class Resolved:
    """Where a ruleset's text comes from, and the names it is shown by.

    ``display`` says what was asked for (``vinhlong-2023/so (parindex-rules)``); ``name`` is the
    file diagnostics and explanations point at: the path as given, or an installed ruleset's
    file on disk, so that ``FILE:LINE:COL`` opens in an editor — relative to the working folder
    when it is inside it (an editable install, run from the repository: the same text on every
    machine), else absolute (site-packages); the display only when the pack is not on disk, e.g.
    a zipped install.
    """

    display: str
    path: Path | None
    resource: Traversable | None
    name: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", self.display)

    def read_bytes(self) -> bytes:
        if self.path is not None:
            return self.path.read_bytes()
        assert self.resource is not None
        return self.resource.read_bytes()


def resolve(ref: str | Path) -> Resolved:
    """A path to an existing file, or an installed ruleset id. Raises RulesetError (PR010)."""
    if isinstance(ref, Path) or looks_like_path(str(ref)) or Path(str(ref)).is_file():
        path = Path(ref).expanduser()
        return Resolved(display=str(ref), path=path, resource=None, name=str(ref))
    text = str(ref)
    ids = known_ids()
    pack = ids.get(text)
    if pack is not None:
        resource = pack.find(text)
        if resource is not None:
            on_disk = _as_path(resource)
            display = f"{text} ({pack.name})"
            name = _shown(on_disk) if on_disk is not None else display
            return Resolved(display=display, path=on_disk, resource=resource, name=name)
    close = difflib.get_close_matches(text, list(ids), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else None
    if hint is None and ids:
        hint = "installed: " + ", ".join(sorted(ids))
    raise RulesetError(
        [
            Diagnostic.make(
                "PR010",
                f"no ruleset {text!r}: not an installed id nor a file",
                file=text,
                hint=hint,
            )
        ]
    )


def _shown(path: Path) -> str:
    """`path` relative to the working folder when inside it, else absolute."""
    absolute = path.resolve()
    try:
        return absolute.relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(absolute)


def _as_path(resource: Traversable) -> Path | None:
    try:
        path = Path(str(resource))
    except TypeError:  # pragma: no cover - zipped installs
        return None
    return path if path.is_file() else None
