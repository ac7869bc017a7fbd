"""Read YAML (and JSON, a subset of it) into plain data plus the position of every node.

We compose the YAML node tree (every node keeps its start mark) and build plain Python values
ourselves instead of using ruamel.yaml's constructors, because we need:

- the line and column of every key and value, for diagnostics;
- numbers read from their source text, so ``0.1`` becomes ``Decimal("0.1")``, never a float;
- duplicate keys, aliases and custom tags reported as errors, all at once;
- limits on size, node count and depth checked before any work is wasted.

Composing uses ruamel.yaml's C parser when it is installed (the ``fast`` extra) and the text is
safe for it, else the pure-Python one; both give the same nodes and marks, and problems are
always reported by the pure one. Round-trip editing (``parindex fmt``) uses ruamel.yaml's
round-trip mode elsewhere.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:  # the C parser (ruamel.yaml.clib): optional, `fast` extra
    from _ruamel_yaml import CParser as _CParser  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the installation
    _CParser = None

from parindex_rules import limits
from parindex_rules.diagnostics import Diagnostic, DiagnosticError
from parindex_rules.diagnostics import Path as NodePath

_TAG = "tag:yaml.org,2002:"
_INT_TEXT = re.compile(r"^[+-]?\d+$")
#: Longer numbers stay text: no rule needs them, and Python will not convert > 4300 digits.
_LONGEST_NUMBER = 100


@dataclass
class SourceMap:
    """Where each node of a loaded document stands (1-based line and column)."""

    file: str
    values: dict[NodePath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[NodePath, tuple[int, int]] = field(default_factory=dict)
    #: For a document merged from several files (``extends:``): the file a path comes from,
    #: when it is not `file`.
    files: dict[NodePath, str] = field(default_factory=dict)

    def locate(self, path: NodePath, *, key: bool = False) -> tuple[int, int]:
        """Position of the node at `path` (its key when `key`), else of its nearest ancestor."""
        _, line, column = self.position(path, key=key)
        return line, column

    def position(self, path: NodePath, *, key: bool = False) -> tuple[str, int, int]:
        """File, line and column of the node at `path`, else of its nearest ancestor."""
        probe = tuple(path)
        while True:
            for table in (self.keys, self.values, self.keys) if key else (self.values, self.keys):
                if probe in table:
                    line, column = table[probe]
                    return self.files.get(probe, self.file), line, column
            if not probe:
                return self.file, 1, 1
            probe = probe[:-1]

    def where(self, path: NodePath) -> str:
        """``FILE:LINE:COL`` of the node at `path`, for explanations ("← self-assessment (...)").

        Readers of other layouts (a spreadsheet's sheet and cell) override it.
        """
        file, line, column = self.position(path)
        return f"{file}:{line}:{column}"

    def diagnostic(
        self,
        code: str,
        message: str,
        path: NodePath,
        *,
        key: bool = False,
        hint: str | None = None,
        **extra: Any,
    ) -> Diagnostic:
        file, line, column = self.position(path, key=key)
        return Diagnostic.make(
            code, message, file=file, line=line, column=column, path=path, hint=hint, **extra
        )

    def sub(self, prefix: NodePath) -> SourceMap:
        """A view whose paths are relative to `prefix` (for a document embedded in another)."""
        n = len(prefix)
        view = SourceMap(self.file)
        view.values = {p[n:]: v for p, v in self.values.items() if p[:n] == prefix}
        view.keys = {p[n:]: v for p, v in self.keys.items() if p[:n] == prefix}
        view.files = {p[n:]: v for p, v in self.files.items() if p[:n] == prefix}
        return view


@dataclass
class LoadedDocument:
    """Plain data (dict/list/str/int/Decimal/bool/None) and where each part came from."""

    data: Any
    source_map: SourceMap
    text: str
    #: The text of every other file a merged document (``extends:``) takes content from.
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return self.source_map.file


def read_text(path: Path, *, max_bytes: int, display: str | None = None) -> str:
    """Read a UTF-8 file, refusing other encodings and oversized files with located errors."""
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DiagnosticError(
                [
                    Diagnostic.make(
                        "PR901",
                        f"file is {size} bytes; the limit is {max_bytes}",
                        file=name,
                        line=1,
                        column=1,
                    )
                ]
            )
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise DiagnosticError(
            [Diagnostic.make("PR001", f"cannot read file: {reason}", file=name)]
        ) from None
    return decode(raw, name)


def decode(raw: bytes, name: str) -> str:
    """Decode UTF-8 (an optional BOM is dropped); report the first bad byte's position."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        hint = "save the file as UTF-8 (Vietnamese text in another code page is not supported)"
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            hint = "the file is UTF-16; save it as UTF-8"
        raise DiagnosticError(
            [
                Diagnostic.make(
                    "PR002",
                    f"not UTF-8 text: byte 0x{raw[exc.start]:02x} cannot be decoded",
                    file=name,
                    line=line,
                    column=column,
                    hint=hint,
                )
            ]
        ) from None
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise DiagnosticError(
            [
                Diagnostic.make(
                    "PR002",
                    "the file holds a NUL character: it is binary, not text",
                    file=name,
                    line=line,
                    column=column,
                )
            ]
        )
    return text


def load_yaml_file(path: Path, *, max_bytes: int, display: str | None = None) -> LoadedDocument:
    name = display or str(path)
    return load_yaml_text(read_text(path, max_bytes=max_bytes, display=name), name)


def load_yaml_text(
    text: str, name: str = "<input>", *, max_nodes: int | None = None
) -> LoadedDocument:
    """Parse one YAML document; every problem found is raised together as a DiagnosticError.

    A file whose name ends in ``.json`` must be strict JSON (PR011 otherwise). `max_nodes`
    (default :data:`limits.MAX_YAML_NODES`) and :data:`limits.MAX_YAML_DEPTH` are enforced
    while the file is read, so an oversized file fails fast instead of being read in full.
    """
    source_map = SourceMap(name)
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise DiagnosticError(
            [Diagnostic.make("PR003", "the file is empty", file=name, line=1, column=1)]
        )
    if name.lower().endswith(".json"):
        _check_json(text, name)
    limit = limits.MAX_YAML_NODES if max_nodes is None else max_nodes
    node = _fast_compose(text, limit)
    fast = node is not None
    try:
        if node is None:
            node = _pure_compose(text, limit)
    except _LimitExceeded as exc:
        raise DiagnosticError([exc.diagnostic(name)]) from None
    except MarkedYAMLError as exc:
        raise DiagnosticError([_syntax_diagnostic(exc, name, text)]) from None
    except YAMLError as exc:  # e.g. several documents in one stream
        raise DiagnosticError(
            [Diagnostic.make("PR004", _one_line(str(exc)), file=name, line=1, column=1)]
        ) from None
    except RecursionError:
        raise DiagnosticError([_too_deep(name)]) from None
    if node is None or (
        isinstance(node, ScalarNode) and node.tag == _TAG + "null" and node.value == ""
    ):
        # Only a document marker (---) or directives: nothing is written.
        raise DiagnosticError(
            [Diagnostic.make("PR003", "the file is empty", file=name, line=1, column=1)]
        )
    builder = _Builder(source_map, check_depth=fast)
    try:
        data = builder.build(node, (), 0)
    except _TooDeep:
        # The C composer does not limit depth while reading: let the pure one say where.
        source_map = SourceMap(name)
        builder = _Builder(source_map)
        try:
            pure = _pure_compose(text, limit)
            assert pure is not None  # the same text composed to a tree a moment ago
            data = builder.build(pure, (), 0)
        except _LimitExceeded as exc:
            raise DiagnosticError([exc.diagnostic(name)]) from None
    if builder.problems:
        raise DiagnosticError(builder.problems)
    return LoadedDocument(data=data, source_map=source_map, text=text)


def _pure_compose(text: str, limit: int) -> Node | None:
    """ruamel.yaml's pure-Python composer, limiting nodes and depth while it reads."""
    yaml = YAML(typ="safe", pure=True)
    yaml.Composer = _Composer
    yaml.parindex_max_nodes = limit  # type: ignore[attr-defined]
    node: Node | None = yaml.compose(text)
    return node


class _TooDeep(Exception):
    """A tree from the C composer nests deeper than the limit."""


def _too_deep(name: str) -> Diagnostic:
    """Python's own parsers ran out of stack: the file nests too deep (position unknown)."""
    return Diagnostic.make(
        "PR903",
        f"collections nest deeper than {limits.MAX_YAML_DEPTH} levels",
        file=name,
        line=1,
        column=1,
    )


def _check_json(text: str, name: str) -> None:
    """A .json file must be JSON, not merely YAML that happens to parse (trailing commas...)."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise DiagnosticError(
            [Diagnostic.make("PR011", exc.msg, file=name, line=exc.lineno, column=exc.colno)]
        ) from None
    except RecursionError:
        raise DiagnosticError([_too_deep(name)]) from None


class _AliasNode(ScalarNode):
    """An alias (``*name``) where it is written: kept as a marker, never expanded."""


class _LimitExceeded(Exception):
    def __init__(self, code: str, message: str, mark: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.mark = mark

    def diagnostic(self, name: str) -> Diagnostic:
        line = self.mark.line + 1 if self.mark is not None else 1
        column = self.mark.column + 1 if self.mark is not None else 1
        return Diagnostic.make(self.code, self.message, file=name, line=line, column=column)


class _Composer(Composer):
    """ruamel.yaml's composer, counting nodes and depth as it goes and leaving aliases as
    markers at their own position (an alias bomb never expands)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.parser.check_event(AliasEvent):
            event = self.parser.get_event()
            return _AliasNode("alias", event.anchor, event.start_mark, event.end_mark)
        self.parindex_count = getattr(self, "parindex_count", 0) + 1
        limit = getattr(self.loader, "parindex_max_nodes", limits.MAX_YAML_NODES)
        if self.parindex_count > limit:
            raise _LimitExceeded(
                "PR902", f"more than {limit} YAML nodes", self.parser.peek_event().start_mark
            )
        if self.depth > limits.MAX_YAML_DEPTH:
            raise _LimitExceeded(
                "PR903",
                f"collections nest deeper than {limits.MAX_YAML_DEPTH} levels",
                self.parser.peek_event().start_mark,
            )
        return super().compose_node(parent, index)


#: Where an anchor (&a) or alias (*a) could start: after a line start, a space or a flow
#: indicator. "a * b" and "R&D" do not match; anything that could be one goes the pure way.
_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,:])[&*][^\s,\]}]", re.MULTILINE)

#: Nesting the C composer is trusted with: it recurses in C, where no RecursionError stops it.
_C_DEPTH = 1_000


#: Texts larger than this always take the pure composer, which stops at the node limit while
#: reading; the C composer would build the whole tree first.
_FAST_MAX_CHARS = 4 * 1024 * 1024


def _fast_compose(text: str, max_nodes: int) -> Node | None:
    """Compose with ruamel.yaml's C parser (ruamel.yaml.clib, the ``fast`` extra): the same
    nodes, tags and marks as the pure-Python composer, about seven times faster.

    None — use the pure composer — when the C parser is not installed, when the text holds
    characters the two treat differently (NEL, LS and PS line breaks) or could hold an anchor
    or alias, when it could nest deeper than :data:`_C_DEPTH`, or when it does not parse: the
    pure composer then reports the problem exactly as it always has.
    """
    if _CParser is None or any(c in text for c in "\x85\u2028\u2029"):
        return None  # line breaks the two composers count differently
    # A node takes at least one character, so a text no longer than the node limit cannot
    # exceed it: only such texts may skip the pure composer's counting.
    if len(text) + 1 > min(max_nodes, _FAST_MAX_CHARS):
        return None
    if _ANCHOR_OR_ALIAS.search(text):
        return None  # the C composer's nodes do not keep their anchors, which we refuse
    # Flow collections nest at most once per bracket; block ones once per indentation step or
    # per indicator on a line ("- - -"). Their sum bounds the depth of the tree.
    flow = text.count("[") + text.count("{")
    block = 0
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        depth = 2 * (len(line) - len(stripped)) + stripped.count("-") + stripped.count(":")
        block = max(block, depth + stripped.count("?"))
    if flow + block > _C_DEPTH:
        return None
    try:
        node: Node | None = YAML(typ="safe", pure=False).compose(text)
    except (YAMLError, RecursionError, ValueError):
        return None
    return node


def _one_line(message: str) -> str:
    return " ".join(part.strip() for part in message.splitlines() if part.strip())


#: What ruamel.yaml calls the construct it was reading, in an author's words.
_UNCLOSED = {
    "while scanning a quoted scalar": "this quoted text is never closed",
    "while parsing a flow sequence": "this [ list ] is never closed",
    "while parsing a flow mapping": "this { mapping } is never closed",
}


def _syntax_diagnostic(exc: MarkedYAMLError, name: str, text: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line + 1) if mark is not None else 1
    column = (mark.column + 1) if mark is not None else 1
    problem = exc.problem or "invalid YAML"
    context = exc.context or ""
    if context and problem.startswith("but "):
        message = f"{context}, {problem}"
    else:
        message = f"{problem} {context}".strip()
    hint = None
    problem_line = line
    ends_early = "end of stream" in problem or "<stream end>" in problem
    if ends_early and exc.context_mark is not None and context in _UNCLOSED:
        # The end of the file is not where the mistake is: point at what was left open.
        line, column = exc.context_mark.line + 1, exc.context_mark.column + 1
        message = f"{_UNCLOSED[context]} (the file ends first)"
    if "mapping values are not allowed" in problem:
        hint = "quote a value that contains ': ', or check the indentation"
    lines = text.splitlines()
    # A tab used for indentation is the most common authoring slip: name it plainly.
    tab_line = next(
        (i for i, row in enumerate(lines) if row[: len(row) - len(row.lstrip())].count("\t")),
        None,
    )
    tab_related = (
        "\\t" in message
        or "tab" in message
        or (tab_line is not None and tab_line + 1 <= problem_line)
    )
    if tab_related and tab_line is not None:
        row = lines[tab_line]
        return Diagnostic.make(
            "PR006",
            "a tab is used for indentation; YAML allows spaces only",
            file=name,
            line=tab_line + 1,
            column=row.index("\t") + 1,
            hint="replace the tab with spaces",
        )
    return Diagnostic.make("PR004", message, file=name, line=line, column=column, hint=hint)


class _Builder:
    """Turn composed YAML nodes into plain data, recording positions and problems."""

    def __init__(self, source_map: SourceMap, *, check_depth: bool = False) -> None:
        self.source_map = source_map
        self.problems: list[Diagnostic] = []
        self.check_depth = check_depth

    def _pos(self, node: Node) -> tuple[int, int]:
        mark = node.start_mark
        return (mark.line + 1, mark.column + 1)

    def _problem(self, code: str, message: str, node: Node, path: NodePath, **kw: Any) -> None:
        line, column = self._pos(node)
        self.problems.append(
            Diagnostic.make(
                code, message, file=self.source_map.file, line=line, column=column, path=path, **kw
            )
        )

    def build(self, node: Node, path: NodePath, depth: int) -> Any:
        # Node count and depth are limited while composing (_Composer); a tree from the C
        # composer is only checked here, and handed back to the pure composer if too deep.
        if self.check_depth and depth > limits.MAX_YAML_DEPTH:
            raise _TooDeep
        if isinstance(node, _AliasNode):
            self._problem(
                "PR012",
                f"YAML aliases (*{node.value}) are not allowed in these files",
                node,
                path,
                hint="write the value out, or use `extends:` to reuse a ruleset",
            )
            return None
        if getattr(node, "anchor", None):
            self._problem(
                "PR012",
                f"YAML anchors (&{node.anchor}) are not allowed in these files",
                node,
                path,
            )
        self.source_map.values.setdefault(path, self._pos(node))
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            if node.tag != _TAG + "seq":
                self._problem("PR008", f"custom YAML tag {node.tag!r} is not allowed", node, path)
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self._scalar(node, path)

    def _mapping(self, node: MappingNode, path: NodePath, depth: int) -> dict[str, Any]:
        if node.tag not in (_TAG + "map", _TAG + "omap"):
            self._problem("PR008", f"custom YAML tag {node.tag!r} is not allowed", node, path)
        out: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self._problem("PR103", "a key must be plain text", key_node, path)
                continue
            if key_node.tag == _TAG + "merge":
                self._problem(
                    "PR012", "YAML merge keys (<<) are not allowed in these files", key_node, path
                )
                continue
            key = str(key_node.value)
            child = (*path, key)
            if key in out or key in first_seen:
                line0 = first_seen.get(key, 0)
                self._problem(
                    "PR005",
                    f"duplicate key {key!r} (first at line {line0})",
                    key_node,
                    child,
                    hint="a YAML mapping keeps only one value per key: merge or rename",
                )
                continue
            first_seen[key] = key_node.start_mark.line + 1
            self.source_map.keys[child] = self._pos(key_node)
            if (
                isinstance(value_node, ScalarNode)
                and value_node.value == ""
                and (value_node.tag == _TAG + "null")
            ):
                # `key:` with nothing after it: the empty value stands where its key does (the
                # two composers place it differently: after the colon, or at the next line).
                self.source_map.values[child] = self._pos(key_node)
            out[key] = self.build(value_node, child, depth + 1)
        return out

    def _scalar(self, node: ScalarNode, path: NodePath) -> Any:
        tag = node.tag
        text = node.value
        if tag == _TAG + "str":
            return text
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return text.lower() == "true"
        if len(text) > _LONGEST_NUMBER and tag in (_TAG + "int", _TAG + "float"):
            return text  # refused with its position where a number is expected (PR105)
        if tag == _TAG + "int":
            cleaned = text.replace("_", "")
            if _INT_TEXT.match(cleaned):
                return int(cleaned)
            return text
        if tag == _TAG + "float":
            try:
                value = Decimal(text.replace("_", ""))
            except InvalidOperation:
                return text
            return value if value.is_finite() else text
        if tag == _TAG + "timestamp":
            return text
        self._problem("PR008", f"custom YAML tag {tag!r} is not allowed", node, path)
        return text


# -- positions inside a scalar (a formula's own problems point at the character)

_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85",
    "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


def position_in_scalar(
    lines: list[str], line: int, column: int, value: str, index: int
) -> tuple[int, int] | None:
    """The file position (1-based) of character `index` of the scalar `value` written at
    `line`:`column`, in any YAML style (plain, quoted with escapes, block, folded over lines);
    `index` may be ``len(value)``: just after the last character.

    The scalar is decoded again from the file, character by character; when the decoding does
    not give back `value` exactly, None is returned (the caller points at the scalar's start),
    so a position is either exact or not given.
    """
    if not (0 <= index <= len(value)) or not value or not (1 <= line <= len(lines)):
        return None
    after = index == len(value)  # just after the last character (a formula that stops short)
    wanted = index - 1 if after else index
    decoded: list[str] = []
    places: list[tuple[int, int]] = []
    for char, place in _decode_scalar(lines, line - 1, column - 1):
        decoded.append(char)
        places.append(place)
        if len(decoded) > wanted:
            break
    if "".join(decoded) != value[: wanted + 1]:
        return None
    row, col = places[wanted]
    return row + 1, col + 1 + (1 if after else 0)


def _decode_scalar(lines: list[str], row: int, col: int) -> Any:
    """Yield (character, (row, column)) of a scalar's value, 0-based positions."""
    text = lines[row]
    if col >= len(text):
        return
    first = text[col]
    if first in "|>":
        yield from _decode_block(lines, row, folded=first == ">")
    elif first in "'\"":
        yield from _decode_quoted(lines, row, col + 1, first)
    else:
        yield from _decode_plain(lines, row, col)


def _decode_plain(lines: list[str], row: int, col: int) -> Any:
    text = lines[row].rstrip()
    for c in range(col, len(text)):
        yield text[c], (row, c)
    for next_row in range(row + 1, len(lines)):
        following = lines[next_row]
        content = following.strip()
        if not content:
            return
        yield " ", (row, len(text))
        start = len(following) - len(following.lstrip())
        text = following.rstrip()
        row = next_row
        for c in range(start, len(text)):
            yield text[c], (row, c)


def _decode_quoted(lines: list[str], row: int, col: int, quote: str) -> Any:
    text = lines[row]
    c = col
    while True:
        if c >= len(text.rstrip()):
            # The line ends inside the quotes: the break folds to a space.
            row += 1
            if row >= len(lines):
                return
            following = lines[row]
            if text.rstrip().endswith("\\") and quote == '"':
                pass  # an escaped line break joins without a space (handled below)
            else:
                yield " ", (row - 1, len(text.rstrip()))
            text = following
            c = len(following) - len(following.lstrip())
            continue
        char = text[c]
        if char == quote:
            if quote == "'" and c + 1 < len(text) and text[c + 1] == "'":
                yield "'", (row, c)
                c += 2
                continue
            return
        if char == "\\" and quote == '"':
            if c + 1 >= len(text.rstrip()):
                c += 1
                continue
            code = text[c + 1]
            if code in _HEX_ESCAPES:
                width = _HEX_ESCAPES[code]
                try:
                    yield chr(int(text[c + 2 : c + 2 + width], 16)), (row, c)
                except ValueError:
                    return
                c += 2 + width
                continue
            if code not in _ESCAPES:
                return
            yield _ESCAPES[code], (row, c)
            c += 2
            continue
        yield char, (row, c)
        c += 1


def _decode_block(lines: list[str], row: int, *, folded: bool) -> Any:
    indent: int | None = None
    previous: int | None = None
    for next_row in range(row + 1, len(lines)):
        text = lines[next_row]
        if not text.strip():
            if previous is not None:
                yield "\n", (previous, len(lines[previous]))
            continue
        here = len(text) - len(text.lstrip())
        if indent is None:
            indent = here
        if here < indent:
            return
        if previous is not None:
            yield (" " if folded else "\n"), (previous, len(lines[previous]))
        for c in range(indent, len(text)):
            yield text[c], (next_row, c)
        previous = next_row
