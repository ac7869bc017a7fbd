"""A cache of compiled rulesets: safe to delete, never stale.

An entry is the pickled :class:`~parindex_rules.compile.compiled.CompiledRuleset`, filed under
the sha256 of everything its content depends on: the file's text, the name diagnostics use for
it, this library's version and code, the Python version, the scoring methods and formula
functions installed (names, where they come from, the size and time of the module defining each,
so an editable plugin's edit counts too) and every installed plugin distribution with its
version. Change any of these — upgrade a plugin — and the key changes, so an entry is never used
for something it was not made from; nothing ever needs to be invalidated. Deleting the folder
only costs the next load its compile time.

Old entries are pruned after each store: the folder keeps the :data:`KEEP` most recently used
entries, and none unused for :data:`UNUSED_DAYS` days (a load that uses an entry marks it
used). :func:`prune` does it on demand with other bounds.

Where: ``$PARINDEX_CACHE_DIR``, else the user's cache folder (``$XDG_CACHE_HOME`` or
``~/.cache`` on Linux, ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows) under
``parindex-rules/compiled``. ``PARINDEX_NO_CACHE=1`` turns it off. Entries are only read from a
folder that belongs to the current user and that no one else can write to (pickles are code),
and any entry that cannot be read back — truncated, corrupt, from another version — is ignored
and rewritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import os
import pickle
import re
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from parindex_rules.compile.compiled import CompiledRuleset
from parindex_rules.fileio import write_atomic

#: Bump when the compiled form changes shape within one library version (development).
FORMAT = 1

#: How many entries pruning keeps (the most recently used), and after how many days unused an
#: entry goes. A compiled ruleset is tens of kilobytes: the folder stays a few megabytes.
KEEP = 256
UNUSED_DAYS = 90


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is turned off.

    Under pytest the cache is off unless ``PARINDEX_CACHE_DIR`` names one, so that a test that
    patches the compiler sees its patch.
    """
    if os.environ.get("PARINDEX_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("PARINDEX_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if "PYTEST_CURRENT_TEST" in os.environ:
        return None
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "parindex-rules" / "compiled"


def _plugins() -> str | None:
    """What the installed methods and functions are, and every plugin distribution's version;
    None if a method or function was registered at run time (its code has no version to key on,
    so nothing compiled with it is cached)."""
    from parindex_rules.plugins import RUNTIME, registry

    parts = []
    for kind in ("methods", "functions"):
        for info in registry.infos(kind):
            if info.distribution == RUNTIME:
                return None
            parts.append(
                f"{kind}:{info.name}={info.value}@{info.distribution}:{info.version}"
                f" {_module_stamp(info.value)}"
            )
    parts += _distributions()
    return "\n".join(parts)


def _module_stamp(value: str) -> str:
    """Size and modification time of the module an entry point (``module:attr``) names: an
    editable install changes without a version bump."""
    module = value.partition(":")[0].strip()
    with contextlib.suppress(Exception):
        spec = importlib.util.find_spec(module)
        if spec is not None and spec.origin and spec.has_location:
            info = Path(spec.origin).stat()
            return f"{info.st_size}:{info.st_mtime_ns}"
    return "?"


_DISTRIBUTIONS: tuple[tuple[tuple[str, int], ...], list[str]] | None = None


def _import_path_stamp() -> tuple[tuple[str, int], ...]:
    """Each import folder's modification time: installing, upgrading or removing a distribution
    adds or renames its ``.dist-info`` folder there, which changes it."""
    stamp = []
    for entry in sys.path:
        with contextlib.suppress(OSError):
            stamp.append((entry, Path(entry or ".").stat().st_mtime_ns))
    return tuple(stamp)


def _distributions() -> list[str]:
    """``group name=value @ distribution version`` for every entry point of every plugin group,
    loaded or not: upgrading any plugin distribution changes the key. Scanning the installed
    distributions costs milliseconds, so the answer is kept until an import folder changes."""
    global _DISTRIBUTIONS
    stamp = _import_path_stamp()
    if _DISTRIBUTIONS is None or _DISTRIBUTIONS[0] != stamp:
        _DISTRIBUTIONS = (stamp, _scan_distributions())
    return _DISTRIBUTIONS[1]


def _scan_distributions() -> list[str]:
    from parindex_rules.plugins import GROUPS

    installed = metadata.entry_points()
    versions: dict[int, str] = {}
    out = []
    for entry in (e for group in GROUPS.values() for e in installed.select(group=group)):
        dist = getattr(entry, "dist", None)
        if id(dist) not in versions:
            versions[id(dist)] = "?"
            with contextlib.suppress(Exception):
                versions[id(dist)] = f"{dist.metadata['Name']} {dist.version}"  # type: ignore[union-attr]
        out.append(f"{entry.group} {entry.name}={entry.value} @ {versions[id(dist)]}")
    return sorted(out)


_CODE: str | None = None


def _code() -> str:
    """The library's own code: size and modification time of each module (a development
    checkout changes without a version bump; an installed wheel never changes)."""
    global _CODE
    if _CODE is None:
        root = Path(__file__).resolve().parent.parent
        digest = hashlib.sha256()
        for path in sorted(root.rglob("*.py")):
            with contextlib.suppress(OSError):
                info = path.stat()
                digest.update(
                    f"{path.relative_to(root)}:{info.st_size}:{info.st_mtime_ns};".encode()
                )
        _CODE = digest.hexdigest()
    return _CODE


#: A ruleset that extends another depends on that file too: such texts are not cached.
_EXTENDS = re.compile(r"\bextends[\"']?\s*:")


def key(text: str, name: str) -> str | None:
    """The entry's name for this text, or None when it must not be cached."""
    from parindex_rules import __version__

    if _EXTENDS.search(text):
        return None
    plugins = _plugins()
    if plugins is None:
        return None
    digest = hashlib.sha256()
    for part in (
        f"format {FORMAT}",
        f"parindex-rules {__version__} {_code()}",
        f"python {sys.version_info[0]}.{sys.version_info[1]}",
        f"name {name}",
        plugins,
        text,
    ):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def _trusted(folder: Path) -> bool:
    """Only the current user may have written this folder (POSIX); pickles are code."""
    if not hasattr(os, "getuid"):
        return True
    try:
        info = folder.stat()
    except OSError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def load(text: str, name: str) -> CompiledRuleset | None:
    """The cached compiled ruleset for this text, or None (not cached, unreadable, untrusted)."""
    folder = cache_dir()
    entry = key(text, name) if folder is not None else None
    if folder is None or entry is None:
        return None
    path = folder / f"{entry}.pickle"
    if not path.is_file() or not _trusted(folder):
        return None
    try:
        compiled = pickle.loads(path.read_bytes())
    except Exception:  # a corrupt or foreign entry is ignored (and replaced on store)
        return None
    if not isinstance(compiled, CompiledRuleset) or compiled.file != name:
        return None
    from parindex_rules.compile.compiler import content_hash

    if compiled.content_hash != content_hash(text):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: pruning keeps the entries in use
    return compiled


def store(text: str, name: str, compiled: CompiledRuleset) -> None:
    """File a compiled ruleset; failing to (read-only home, full disk) is never an error."""
    folder = cache_dir()
    entry = key(text, name) if folder is not None else None
    if folder is None or entry is None:
        return
    with contextlib.suppress(Exception):
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _trusted(folder):
            return
        write_atomic(folder / f"{entry}.pickle", dumps(compiled))
        prune()


def prune(keep: int | None = None, max_age_days: float | None = None) -> int:
    """Delete entries beyond the `keep` most recently used and those unused for more than
    `max_age_days` days (defaults: :data:`KEEP`, :data:`UNUSED_DAYS`), and temporary files a
    crashed store left behind; returns how many were removed. Another process removing the same
    file first is not an error."""
    keep = KEEP if keep is None else keep
    max_age_days = UNUSED_DAYS if max_age_days is None else max_age_days
    folder = cache_dir()
    if folder is None or not folder.is_dir() or not _trusted(folder):
        return 0
    now = time.time()
    entries: list[tuple[float, Path]] = []
    stale: list[Path] = []
    for path in folder.iterdir():
        with contextlib.suppress(OSError):
            used = path.stat().st_mtime
            if path.suffix == ".pickle":
                entries.append((used, path))
            elif path.name.startswith(".") and path.suffix == ".tmp" and now - used > 3600:
                stale.append(path)  # an interrupted write_atomic, an hour old
    entries.sort(key=lambda e: (-e[0], e[1].name))  # newest first; the name breaks ties
    limit = now - max_age_days * 86400
    stale += [path for i, (used, path) in enumerate(entries) if i >= keep or used < limit]
    removed = 0
    for path in stale:
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
    return removed


def clear() -> int:
    """Delete every entry; returns how many were removed."""
    folder = cache_dir()
    removed = 0
    if folder is None or not folder.is_dir():
        return 0
    for path in folder.glob("*.pickle"):
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
    return removed


def _rebuild(origin: Any, args: Any, state: Any) -> BaseModel:
    cls = origin[args]
    instance: BaseModel = cls.__new__(cls)
    instance.__setstate__(state)
    return instance


class _Pickler(pickle.Pickler):
    """Pickles parametrised pydantic models (``Sourced[Literal[...]]``) by their origin and
    arguments, which plain pickle cannot look up by name."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, BaseModel):
            meta = type(obj).__pydantic_generic_metadata__
            if meta["origin"] is not None:
                args = meta["args"]
                arguments = args[0] if len(args) == 1 else args
                return (_rebuild, (meta["origin"], arguments, obj.__getstate__()))
        return NotImplemented


def dumps(compiled: CompiledRuleset) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(compiled)
    return buffer.getvalue()
