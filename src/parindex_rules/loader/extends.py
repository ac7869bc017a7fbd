"""``extends:`` — a ruleset written as another ruleset plus changes.

A national template, or last year's ruleset, is the base; the extending file says only what
differs. Expansion happens on plain data, before the model sees it, so the compiled result is
exactly that of the ruleset written out in full. Every value of the merged document keeps the
file, line and column it was written at: diagnostics point into the extending file for what
it overrides or adds, and into the base file for what is inherited.

The rules (docs/authoring.md):

- ``extends: ID_OR_PATH`` or ``extends: {ruleset: ID_OR_PATH, remove: [ids]}``; a path is
  relative to the extending file.
- Top-level keys replace the base's value whole, except the named entries of ``documents``,
  ``parameters``, ``derived`` and ``policies``, which are merged entry by entry.
- ``fields`` (and each node's ``criteria`` / ``subcriteria``) are merged by ``id``: a node whose
  id the base has takes the keys it gives (each key replaces the base's whole; giving
  ``source`` or ``provisional`` replaces the base's provenance); a new id is added among its
  siblings in the decision's order.
- ``remove`` drops base nodes with everything under them; a removed id written again in the
  extending file is a fresh node (this is how a node is replaced whole).
- A base may extend another base; a cycle is an error that spells the chain out.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parindex_rules import limits
from parindex_rules.codes import Code, Severity, register_codes
from parindex_rules.diagnostics import Diagnostic, DiagnosticError, RulesetError
from parindex_rules.diagnostics import Path as NodePath
from parindex_rules.loader.resolve import looks_like_path, resolve
from parindex_rules.loader.yaml import LoadedDocument, SourceMap, decode, load_yaml_text
from parindex_rules.model.common import segment_key
from parindex_rules.model.ruleset import Extends
from parindex_rules.model.validate import validate

register_codes(
    Code("PR020", "extends-cycle", Severity.ERROR, "Rulesets extend each other in a cycle."),
    Code(
        "PR021",
        "extends-unknown-node",
        Severity.ERROR,
        "`extends.remove` names an id the base ruleset does not have.",
    ),
    Code(
        "PR022",
        "extends-too-deep",
        Severity.ERROR,
        "Rulesets extend each other through more levels than the limit.",
    ),
)

#: How many bases a chain of `extends:` may have.
MAX_EXTENDS_DEPTH = 8

#: Top-level mappings whose entries are merged one by one; every other key is replaced whole.
MERGED_BY_NAME = ("documents", "parameters", "derived", "policies")
#: The key holding a node's children, by the key holding the node.
CHILDREN = {"fields": "criteria", "criteria": "subcriteria", "subcriteria": None}
PROVENANCE = ("source", "provisional")


def has_extends(loaded: LoadedDocument) -> bool:
    return isinstance(loaded.data, dict) and "extends" in loaded.data


def expand_extends(
    loaded: LoadedDocument,
    base_dir: Path | None = None,
    *,
    origin: Path | None = None,
    chain: tuple[str, ...] = (),
) -> LoadedDocument:
    """The document with its base (and the base's bases) merged in; unchanged without one.

    `base_dir` is where relative `extends:` paths start (default: the file's folder); `origin`
    is the file the document was read from, if any (to recognise cycles). Raises
    :class:`RulesetError` listing every problem found.
    """
    if not has_extends(loaded):
        return loaded
    sm = loaded.source_map
    if base_dir is None:
        base_dir = (origin or Path(loaded.file)).parent
    if not chain:
        chain = (_identity_of(origin or Path(loaded.file), loaded.file),)
    spec, problems = validate(Extends, _spec_data(loaded.data["extends"]), sm, prefix=("extends",))
    if spec is None:
        raise RulesetError(problems)
    ref_path: NodePath = (
        ("extends",)
        if isinstance(loaded.data["extends"], str)
        else (
            "extends",
            "ruleset",
        )
    )
    base_file, base_identity, base_text, base_folder = _read_base(
        spec.ruleset, base_dir, sm, ref_path
    )
    if base_identity in chain:
        names = [*chain, base_identity]
        start = names.index(base_identity)
        raise RulesetError(
            [
                sm.diagnostic(
                    "PR020",
                    "rulesets extend each other in a cycle: "
                    + " → ".join(_shown(name) for name in names[start:]),
                    ref_path,
                    hint="a ruleset cannot be its own base, directly or through others",
                )
            ]
        )
    if len(chain) > MAX_EXTENDS_DEPTH:
        raise RulesetError(
            [
                sm.diagnostic(
                    "PR022",
                    f"more than {MAX_EXTENDS_DEPTH} rulesets extend one another: "
                    + " → ".join(_shown(name) for name in [*chain, base_identity]),
                    ref_path,
                )
            ]
        )
    try:
        base = load_yaml_text(base_text, base_file, max_nodes=limits.MAX_RULESET_YAML_NODES)
    except DiagnosticError as exc:
        raise RulesetError(exc.diagnostics) from None
    if not isinstance(base.data, dict):
        raise RulesetError(
            [base.source_map.diagnostic("PR007", "a ruleset file must be a mapping of keys", ())]
        )
    base = expand_extends(base, base_folder or base_dir, chain=(*chain, base_identity))
    merger = _Merger(base, loaded, set(spec.remove))
    data = merger.merge()
    if merger.problems:
        raise RulesetError(merger.problems)
    texts = {**base.texts, base.file: base.text}
    return LoadedDocument(data=data, source_map=merger.out, text=loaded.text, texts=texts)


def _shown(identity: str) -> str:
    """A file as the user would name it: relative to where the command runs when it is
    under it (the same on every machine), else in full."""
    path = Path(identity)
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        return path.relative_to(Path.cwd()).as_posix()
    return identity


def _spec_data(raw: Any) -> Any:
    return {"ruleset": raw} if isinstance(raw, str) else raw


def _identity_of(path: Path, name: str) -> str:
    return str(path.resolve()) if path.is_file() else name


def _read_base(
    ref: str, base_dir: Path, sm: SourceMap, at: NodePath
) -> tuple[str, str, str, Path | None]:
    """Display name, identity (for cycles), text and folder of the base ruleset."""
    if looks_like_path(ref):
        written = base_dir / Path(ref).expanduser()
        path = written.resolve()
        display = os.path.normpath(written)  # as the author wrote it, for messages
        if not path.is_file():
            raise RulesetError(
                [
                    sm.diagnostic(
                        "PR010",
                        f"extends {ref!r}: no such file ({display})",
                        at,
                        hint="a path in `extends:` is relative to the extending file",
                    )
                ]
            )
        size = path.stat().st_size
        if size > limits.MAX_RULESET_BYTES:
            raise RulesetError(
                [
                    Diagnostic.make(
                        "PR901",
                        f"file is {size} bytes; the limit is {limits.MAX_RULESET_BYTES}",
                        file=display,
                        line=1,
                        column=1,
                    )
                ]
            )
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise RulesetError(
                [sm.diagnostic("PR001", f"cannot read {display}: {exc.strerror or exc}", at)]
            ) from None
        # Its own bases are found from its folder as written (relative stays relative, so
        # messages name files the same way on every machine).
        return display, str(path), _decode(raw, display), written.parent
    try:
        resolved = resolve(ref)
    except DiagnosticError as exc:
        hint = exc.diagnostics[0].hint if exc.diagnostics else None
        raise RulesetError(
            [
                sm.diagnostic(
                    "PR010",
                    f"extends {ref!r}: not an installed ruleset id nor a file",
                    at,
                    hint=hint,
                )
            ]
        ) from None
    found = resolved.path
    identity = str(found.resolve()) if found is not None else resolved.display
    display = str(found) if found is not None else resolved.display
    folder = found.parent if found is not None else None
    return display, identity, _decode(resolved.read_bytes(), display), folder


def _decode(raw: bytes, name: str) -> str:
    try:
        return decode(raw, name)
    except DiagnosticError as exc:
        raise RulesetError(exc.diagnostics) from None


@dataclass
class _Side:
    """One of the two documents being merged, and where a value sits in it."""

    doc: LoadedDocument

    @property
    def sm(self) -> SourceMap:
        return self.doc.source_map


class _Merger:
    """Build the merged data and a source map whose every path names its own file."""

    def __init__(self, base: LoadedDocument, over: LoadedDocument, remove: set[str]) -> None:
        self.base = _Side(base)
        self.over = _Side(over)
        self.remove = remove
        self.removed: set[str] = set()
        self.out = SourceMap(over.file)
        self.problems: list[Diagnostic] = []

    # -- positions
    def _record(self, side: _Side, src: NodePath, dst: NodePath) -> None:
        sm = side.sm
        file = sm.files.get(src, sm.file)
        found = False
        if src in sm.values:
            self.out.values[dst] = sm.values[src]
            found = True
        if src in sm.keys:
            self.out.keys[dst] = sm.keys[src]
            found = True
        if found and file != self.out.file:
            self.out.files[dst] = file

    def copy(self, value: Any, side: _Side, src: NodePath, dst: NodePath) -> Any:
        """`value` placed at `dst`, with the positions of it and everything under it."""
        self._record(side, src, dst)
        if isinstance(value, dict):
            return {k: self.copy(v, side, (*src, k), (*dst, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [self.copy(v, side, (*src, i), (*dst, i)) for i, v in enumerate(value)]
        return value

    # -- the document
    def merge(self) -> dict[str, Any]:
        base: dict[str, Any] = self.base.doc.data
        over: dict[str, Any] = self.over.doc.data
        self._record(self.over, (), ())
        out: dict[str, Any] = {}
        keys = [k for k in base if k != "extends"] + [
            k for k in over if k not in base and k != "extends"
        ]
        for key in keys:
            path = (key,)
            if key == "fields" and isinstance(base.get(key), list) and key not in over:
                self._record(self.base, path, path)
                out[key] = self._nodes(base[key], [], path, path, path, "fields")
            elif key not in over:
                out[key] = self.copy(base[key], self.base, path, path)
            elif key not in base:
                out[key] = self.copy(over[key], self.over, path, path)
            elif key == "fields" and isinstance(base[key], list) and isinstance(over[key], list):
                self._record(self.over, path, path)
                out[key] = self._nodes(base[key], over[key], path, path, path, "fields")
            elif (
                key in MERGED_BY_NAME
                and isinstance(base[key], dict)
                and isinstance(over[key], dict)
            ):
                self._record(self.over, path, path)
                merged: dict[str, Any] = {}
                for name, value in base[key].items():
                    if name not in over[key]:
                        merged[name] = self.copy(value, self.base, (*path, name), (*path, name))
                for name, value in over[key].items():
                    merged[name] = self.copy(value, self.over, (*path, name), (*path, name))
                out[key] = merged
            else:
                out[key] = self.copy(over[key], self.over, path, path)
        self._check_removed()
        return out

    # -- nodes, merged by id
    def _nodes(
        self,
        base: list[Any],
        over: list[Any],
        base_path: NodePath,
        over_path: NodePath,
        dst: NodePath,
        key: str,
    ) -> list[Any]:
        # Each entry: (id, side, index in its list, value, base value merged with, base index).
        entries: list[tuple[str | None, _Side, int, Any, Any, int]] = []
        for i, node in enumerate(base):
            node_id = _id(node)
            if node_id is not None and node_id in self.remove:
                self.removed.add(node_id)
                continue
            entries.append((node_id, self.base, i, node, None, -1))
        positions = {e[0]: n for n, e in enumerate(entries) if e[0] is not None}
        for j, node in enumerate(over):
            node_id = _id(node)
            if node_id is not None and node_id in positions:
                n = positions[node_id]
                _, _, i, base_node, _, _ = entries[n]
                entries[n] = (node_id, self.over, j, node, base_node, i)
                continue
            entry = (node_id, self.over, j, node, None, -1)
            at = _insertion_point([e[0] for e in entries], node_id)
            entries.insert(at, entry)
            positions = {e[0]: n for n, e in enumerate(entries) if e[0] is not None}
        out = []
        for n, (_, side, i, node, base_node, bi) in enumerate(entries):
            target = (*dst, n)
            if base_node is None:
                src_list = base_path if side is self.base else over_path
                out.append(self._node(node, side, (*src_list, i), target, key))
            else:
                out.append(
                    self._override(base_node, node, (*base_path, bi), (*over_path, i), target, key)
                )
        return out

    def _node(self, node: Any, side: _Side, src: NodePath, dst: NodePath, key: str) -> Any:
        """A node taken whole from one side; removals still apply to its descendants."""
        child_key = CHILDREN.get(key)
        if not isinstance(node, dict) or child_key is None or child_key not in node:
            return self.copy(node, side, src, dst)
        self._record(side, src, dst)
        out: dict[str, Any] = {}
        for k, v in node.items():
            if k == child_key and isinstance(v, list):
                self._record(side, (*src, k), (*dst, k))
                kept: list[Any] = []
                for i, child in enumerate(v):
                    child_id = _id(child)
                    if side is self.base and child_id is not None and child_id in self.remove:
                        self.removed.add(child_id)
                        continue
                    kept.append(
                        self._node(child, side, (*src, k, i), (*dst, k, len(kept)), child_key)
                    )
                out[k] = kept
            else:
                out[k] = self.copy(v, side, (*src, k), (*dst, k))
        return out

    def _override(
        self,
        base: dict[str, Any],
        over: dict[str, Any],
        base_src: NodePath,
        over_src: NodePath,
        dst: NodePath,
        key: str,
    ) -> dict[str, Any]:
        """A base node with the keys the extending file gives for it."""
        self._record(self.over, over_src, dst)
        child_key = CHILDREN.get(key)
        new_provenance = any(k in over for k in PROVENANCE)
        out: dict[str, Any] = {}
        for k, v in base.items():
            if k in over or (new_provenance and k in PROVENANCE):
                continue
            if k == child_key:
                out[k] = self._node_children(base, k, base_src, dst)
            else:
                out[k] = self.copy(v, self.base, (*base_src, k), (*dst, k))
        for k, v in over.items():
            path = (*dst, k)
            if k == child_key and isinstance(v, list) and isinstance(base.get(k), list):
                self._record(self.over, (*over_src, k), path)
                out[k] = self._nodes(base[k], v, (*base_src, k), (*over_src, k), path, k)
            else:
                out[k] = self.copy(v, self.over, (*over_src, k), path)
        return out

    def _node_children(
        self, base: dict[str, Any], key: str, base_src: NodePath, dst: NodePath
    ) -> Any:
        children = base[key]
        if not isinstance(children, list):
            return self.copy(children, self.base, (*base_src, key), (*dst, key))
        return self._nodes(children, [], (*base_src, key), (), (*dst, key), key)

    def _check_removed(self) -> None:
        spec = self.over.doc.data.get("extends")
        if not isinstance(spec, dict):
            return
        for i, node_id in enumerate(spec.get("remove") or []):
            if str(node_id) not in self.removed:
                self.problems.append(
                    self.over.sm.diagnostic(
                        "PR021",
                        f"extends.remove: the base ruleset has no node {node_id!s}",
                        ("extends", "remove", i),
                    )
                )


def _id(node: Any) -> str | None:
    if isinstance(node, dict) and "id" in node and node["id"] is not None:
        return str(node["id"])
    return None


def id_sort_key(node_id: str) -> tuple[tuple[int, str], ...]:
    """The decision's order of ids: numbers compared as numbers, Roman numerals by value."""
    return tuple(segment_key(part) for part in node_id.split("."))


def _insertion_point(ids: list[str | None], node_id: str | None) -> int:
    """After the last sibling whose id comes before `node_id` (at the end when unknown)."""
    if node_id is None:
        return len(ids)
    key = id_sort_key(node_id)
    at = 0
    for n, other in enumerate(ids):
        if other is not None and id_sort_key(other) < key:
            at = n + 1
    return at
