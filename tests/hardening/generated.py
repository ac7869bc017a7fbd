"""Corpus cases whose files the test writes: wrong encodings, huge files, broken plugins.

Huge files are generated, never committed; limits that would take minutes to reach at their
real size (millions of YAML nodes, 200,000 units) are lowered for the case, which exercises
the same check (tests/hardening/test_limits.py measures that the real ones fail fast).
"""

from __future__ import annotations

import contextlib
import importlib.metadata as metadata
import io
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from parindex_rules import limits
from parindex_rules.plugins import registry
from tests.hardening.corpus import Case, Expected

RULESET_HEAD = """id: corpus-2024/so
title: Bộ chỉ số thử
province: Thử
level: so
year: 2024
decision: {number: 1/QĐ-UBND}
max: 1
provisional: corpus case
fields:
"""
LEAF = """  - id: "1"
    name: Lĩnh vực một
    max: 1
    provisional: corpus case
    rule: "Điểm tự chấm"
    scoring: {method: %s}
"""
FACTS = """ruleset: corpus-2024/so
year: 2024
units:
  - unit: so-a
    name: Sở A
    items: {"1": {self: 1}}
"""


def _write(name: str, data: bytes | str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        (folder / name).write_bytes(payload)

    return setup


def _write_many(files: dict[str, bytes | str]) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        for name, data in files.items():
            _write(name, data)(folder)

    return setup


def _sparse(name: str, size: int) -> Callable[[Path], None]:
    """A file of `size` bytes that takes no disk space (its content is never read)."""

    def setup(folder: Path) -> None:
        with (folder / name).open("wb") as handle:
            handle.truncate(size)

    return setup


def _both(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        for step in steps:
            step(folder)

    return setup


@contextlib.contextmanager
def _limits(**values: int) -> Iterator[None]:
    saved = {name: getattr(limits, name) for name in values}
    for name, value in values.items():
        setattr(limits, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(limits, name, value)


@contextlib.contextmanager
def _method(name: str, obj: Any) -> Iterator[None]:
    registry.register("methods", name, obj)
    try:
        yield
    finally:
        registry.unregister("methods", name)


@contextlib.contextmanager
def _entry_point(name: str, value: str) -> Iterator[None]:
    """Install a method plugin entry point (as a broken third-party package would)."""
    real = metadata.entry_points
    extra = metadata.EntryPoint(name=name, value=value, group="parindex_rules.methods")

    def entry_points(**params: Any) -> Any:
        found = list(real(**params))
        if params.get("group") == "parindex_rules.methods":
            found.append(extra)
        return found

    registry.reset()
    metadata.entry_points = entry_points  # type: ignore[assignment]
    try:
        yield
    finally:
        metadata.entry_points = real
        registry.reset()


def _case(
    name: str,
    about: str,
    argv: list[str],
    expected: list[tuple[str, str, int, int]],
    setup: Callable[[Path], None],
    *,
    patch: Callable[[], contextlib.AbstractContextManager[Any]] | None = None,
    exit_code: int = 1,
    file: str = "",
) -> Case:
    return Case(
        name=f"generated/{name}",
        argv=argv,
        expected=[Expected(code, f, line, col) for code, f, line, col in expected],
        exit=exit_code,
        about=about,
        file=file or (argv[-1] if len(argv) > 1 else ""),
        setup=setup,
        patch=patch,
    )


def generated_cases() -> list[Case]:
    ruleset = RULESET_HEAD + LEAF % "points"
    # "Cà Mau" has a letter cp1258 encodes in one byte (à = 0xe0); letters it cannot encode
    # later in the file become "?" (the first undecodable byte is what the check reports).
    cp1258 = ruleset.replace("Bộ chỉ số thử", "Cà Mau").encode("cp1258", errors="replace")
    latin = ruleset.encode("utf-8").replace("Lĩnh vực".encode(), "L\xedNH".encode("latin-1"))
    deep_json = "[" * 100_000 + "]" * 100_000
    deep_yaml = "a: " + "[" * 100_000 + "]" * 100_000 + "\n"
    big_units = "".join(f"  - {{unit: u{i}, name: Đơn vị {i}}}\n" for i in range(12))
    many_nodes = "".join(
        f'  - {{id: "{i}", name: L{i}, max: 1, provisional: p, rule: r, '
        "scoring: {method: points}}\n"
        for i in range(1, 61)
    )
    nodes_head = RULESET_HEAD.replace("max: 1\n", "max: 60\n")
    return [
        _case(
            "encoding-cp1258",
            "a ruleset saved in the Windows Vietnamese code page (cp1258), not UTF-8",
            ["validate", "cp1258.yaml"],
            [("PR002", "cp1258.yaml", 2, 9)],
            _write("cp1258.yaml", cp1258),
        ),
        _case(
            "encoding-latin1",
            "a ruleset with one Latin-1 byte in a name",
            ["validate", "latin1.yaml"],
            [("PR002", "latin1.yaml", 11, 12)],
            _write("latin1.yaml", latin),
        ),
        _case(
            "encoding-utf16",
            "a ruleset saved as UTF-16 (as some Windows editors do)",
            ["validate", "utf16.yaml"],
            [("PR002", "utf16.yaml", 1, 1)],
            _write("utf16.yaml", ruleset.encode("utf-16")),
        ),
        _case(
            "encoding-nul-byte",
            "a NUL byte inside a ruleset (a binary file)",
            ["validate", "nul.yaml"],
            [("PR002", "nul.yaml", 2, 8)],
            _write("nul.yaml", ruleset.replace("title: ", "title: \x00")),
        ),
        _case(
            "encoding-facts-cp1252",
            "a facts file saved in Windows-1252",
            ["score", "ruleset.yaml", "--facts", "facts.yaml"],
            [("PR002", "facts.yaml", 5, 14)],
            _write_many(
                {
                    "ruleset.yaml": ruleset,
                    "facts.yaml": FACTS.replace("Sở A", "Cafe")
                    .encode("utf-8")
                    .replace(b"Cafe", "Café".encode("cp1252")),
                }
            ),
            file="facts.yaml",
        ),
        _case(
            "huge-ruleset",
            "a ruleset file of 2 MiB + 1 byte",
            ["validate", "huge.yaml"],
            [("PR901", "huge.yaml", 1, 1)],
            _sparse("huge.yaml", limits.MAX_RULESET_BYTES + 1),
        ),
        _case(
            "huge-facts",
            "a facts file of 64 MiB + 1 byte",
            ["score", "ruleset.yaml", "--facts", "huge.yaml"],
            [("PR901", "huge.yaml", 1, 1)],
            _both(
                _write("ruleset.yaml", ruleset), _sparse("huge.yaml", limits.MAX_FACTS_BYTES + 1)
            ),
            file="huge.yaml",
        ),
        _case(
            "deep-yaml",
            "a value nested 100,000 lists deep",
            ["validate", "deep.yaml"],
            [("PR903", "deep.yaml", 1, 68)],
            _write("deep.yaml", deep_yaml),
        ),
        _case(
            "deep-json",
            "a JSON facts file nested 100,000 arrays deep",
            ["score", "ruleset.yaml", "--facts", "deep.json"],
            [("PR903", "deep.json", 1, 1)],
            _write_many({"ruleset.yaml": ruleset, "deep.json": deep_json}),
            file="deep.json",
        ),
        _case(
            "too-many-yaml-nodes",
            "a ruleset with more YAML nodes than the limit (lowered to 200 for the case)",
            ["validate", "nodes.yaml"],
            [("PR902", "nodes.yaml", 16, 495)],
            # A syntax error at the very end: it is never reached, the limit stops reading first.
            _write("nodes.yaml", ruleset + "  - [" + ", ".join(["0"] * 100_000) + "]\n  - [\n"),
            patch=lambda: _limits(MAX_RULESET_YAML_NODES=200),
        ),
        _case(
            "too-many-yaml-nodes-facts",
            "a facts file with more YAML nodes than the limit (lowered to 500 for the case)",
            ["score", "ruleset.yaml", "--facts", "nodes.yaml"],
            [("PR902", "nodes.yaml", 50, 48)],
            _write_many(
                {
                    "ruleset.yaml": ruleset,
                    "nodes.yaml": FACTS
                    + "".join(
                        f"  - {{unit: u{i}, name: Đơn vị {i}, items: {{'1': {{self: 1}}}}}}\n"
                        for i in range(20_000)
                    )
                    + "  - {unclosed\n",
                }
            ),
            patch=lambda: _limits(MAX_YAML_NODES=500),
            file="nodes.yaml",
        ),
        _case(
            "too-many-ruleset-nodes",
            "a ruleset with more nodes than the limit (lowered to 50 for the case)",
            ["validate", "many.yaml"],
            [("PR904", "many.yaml", 10, 3)],
            _write("many.yaml", nodes_head + many_nodes),
            patch=lambda: _limits(MAX_RULESET_NODES=50),
        ),
        _case(
            "too-many-units",
            "a facts file with more units than the limit (lowered to 10 for the case)",
            ["score", "ruleset.yaml", "--facts", "units.yaml"],
            [("PR905", "units.yaml", 4, 3)],
            _write_many(
                {
                    "ruleset.yaml": ruleset,
                    "units.yaml": "ruleset: corpus-2024/so\nyear: 2024\nunits:\n" + big_units,
                }
            ),
            patch=lambda: _limits(MAX_UNITS=10),
            file="units.yaml",
        ),
        _case(
            "xlsx-unknown-column",
            "an Excel facts sheet with a column the layout does not define",
            ["score", "ruleset.yaml", "--facts", "facts.xlsx"],
            [("PR821", "facts.xlsx", 3, 4), ("PR821", "facts.xlsx", 4, 4)],
            _both(
                _write("ruleset.yaml", ruleset),
                _workbook(
                    "facts.xlsx",
                    [
                        ["Mã đơn vị", "so-a"],
                        ["Tên đơn vị", "Sở A"],
                        ["STT", "Tiêu chí", "Điểm tự đánh giá", "Điểm thưởng"],
                        ["1", "Lĩnh vực một", 1, 1],
                    ],
                ),
            ),
            file="facts.xlsx",
        ),
        _case(
            "xlsx-no-header",
            "an Excel facts sheet without its header row",
            ["score", "ruleset.yaml", "--facts", "facts.xlsx"],
            [("PR820", "facts.xlsx", 1, 1)],
            _both(
                _write("ruleset.yaml", ruleset),
                _workbook("facts.xlsx", [["so-a", "1", 1]]),
            ),
            file="facts.xlsx",
        ),
        _case(
            "huge-annex",
            "an annex table of 32 MiB + 1 byte",
            ["import-annex", "huge.csv", "--id", "thu-2020/so", "--out", "out.yaml"],
            [("PR901", "huge.csv", 1, 1)],
            _sparse("huge.csv", 32 * 1024 * 1024 + 1),
        ),
        _case(
            "xlsx-zip-bomb",
            "an .xlsx of a few kilobytes that unpacks to 8 MiB (limit lowered to 4 MiB)",
            ["score", "ruleset.yaml", "--facts", "bomb.xlsx"],
            [("PR826", "bomb.xlsx", 0, 0)],
            _both(_write("ruleset.yaml", ruleset), _zip_bomb("bomb.xlsx", 8 << 20)),
            patch=lambda: _attribute(
                "parindex_rules.sheets.xlsx_reader", "MAX_WORKBOOK_UNPACKED", 4 << 20
            ),
            file="bomb.xlsx",
        ),
        _case(
            "xlsx-too-many-rows",
            "an Excel facts sheet longer than the row limit (lowered to 5)",
            ["score", "ruleset.yaml", "--facts", "facts.xlsx"],
            [("PR824", "facts.xlsx", 6, 1)],
            _both(
                _write("ruleset.yaml", ruleset),
                _workbook(
                    "facts.xlsx",
                    [["Mã đơn vị", "so-a"], ["STT", "Tiêu chí", "Điểm tự đánh giá"]]
                    + [["1", "Lĩnh vực một", 1]] * 10,
                ),
            ),
            patch=lambda: _attribute("parindex_rules.sheets.xlsx_reader", "MAX_SHEET_ROWS", 5),
            file="facts.xlsx",
        ),
        _case(
            "extends-too-deep",
            "ten rulesets each extending the next (the limit is 8 levels)",
            ["validate", "r0.yaml"],
            [("PR022", "r8.yaml", 1, 10)],
            _write_many(_chain(10)),
        ),
        _case(
            "excel-extra-missing",
            "an .xlsx template asked for while openpyxl is not installed",
            ["template", "ruleset.yaml", "--format", "xlsx", "--out", "template.xlsx"],
            [("PR825", "template.xlsx", 0, 0)],
            _write("ruleset.yaml", ruleset),
            patch=lambda: _without_module("openpyxl"),
            file="ruleset.yaml",
        ),
        _case(
            "batch-extra-missing",
            "`parindex sensitivity` while numpy is not installed",
            ["sensitivity", "ruleset.yaml", "--facts", "facts.yaml", "--vary", "max:1=±1"],
            [("PR829", "facts.yaml", 0, 0)],
            _write_many({"ruleset.yaml": ruleset, "facts.yaml": FACTS}),
            patch=lambda: _without_modules("numpy", "parindex_rules.sensitivity"),
            file="ruleset.yaml",
        ),
        _case(
            "output-full-disk",
            "results printed to a full disk (as `parindex describe ruleset.yaml > /dev/full`)",
            ["describe", "ruleset.yaml"],
            [("PR891", "<stdout>", 0, 0)],
            _write("ruleset.yaml", ruleset),
            patch=lambda: _attribute("parindex_rules.cli.common", "stdout", _FullDisk),
            file="ruleset.yaml",
        ),
        _case(
            "annex-extra-missing",
            "a Word annex imported while python-docx is not installed",
            ["import-annex", "phu-luc.docx", "--id", "thu-2020/so", "--out", "out.yaml"],
            [("PR867", "phu-luc.docx", 1, 1)],
            _write("phu-luc.docx", b"PK\x03\x04"),
            patch=lambda: _without_module("docx"),
            file="phu-luc.docx",
        ),
        _case(
            "plugin-raises-on-prepare",
            "a scoring method plugin that raises while checking its settings",
            ["validate", "ruleset.yaml"],
            [("PR704", "ruleset.yaml", 15, 14)],
            _write("ruleset.yaml", RULESET_HEAD + LEAF % "raises_on_prepare"),
            patch=lambda: _method("raises_on_prepare", _import("RaisesOnPrepare")),
        ),
        _case(
            "plugin-raises-on-evaluate",
            "a scoring method plugin that raises while scoring a unit",
            ["score", "ruleset.yaml", "--facts", "facts.yaml"],
            [("PR704", "facts.yaml", 6, 25)],
            _write_many(
                {"ruleset.yaml": RULESET_HEAD + LEAF % "raises_on_evaluate", "facts.yaml": FACTS}
            ),
            patch=lambda: _method("raises_on_evaluate", _import("RaisesOnEvaluate")),
            file="facts.yaml",
        ),
        _case(
            "plugin-import-fails",
            "`parindex list` with a method plugin whose package fails to import",
            ["list"],
            [("PR701", "<plugin ?:ghost>", 0, 0)],
            _write("unused.txt", ""),
            patch=lambda: _entry_point("ghost", "tests.hardening.no_such_module:Ghost"),
        ),
        _case(
            "plugin-wrong-type",
            "`parindex list` with a method plugin that is not a scoring method",
            ["list"],
            [("PR702", "<plugin ?:not_a_method>", 0, 0)],
            _write("unused.txt", ""),
            patch=lambda: _entry_point(
                "not_a_method", "tests.hardening.corpus_plugins:NOT_A_METHOD"
            ),
        ),
        _case(
            "plugin-broken-method-in-ruleset",
            "a ruleset naming a method whose plugin failed to load (the hint says why)",
            ["validate", "ruleset.yaml"],
            [("PR109", "ruleset.yaml", 15, 23)],
            _write("ruleset.yaml", RULESET_HEAD + LEAF % "ghost"),
            patch=lambda: _entry_point("ghost", "tests.hardening.no_such_module:Ghost"),
        ),
        _case(
            "plugin-api-undeclared",
            "`parindex list` with a method plugin that does not declare its plugin API version",
            ["list"],
            [("PR706", "<plugin ?:undeclared>", 0, 0)],
            _write("unused.txt", ""),
            patch=lambda: _entry_point(
                "undeclared", "tests.hardening.corpus_plugins:RaisesOnEvaluate"
            ),
        ),
        _case(
            "plugin-breaks-contract",
            "a scoring method plugin whose best() returns a float",
            ["validate", "ruleset.yaml"],
            [("PR707", "ruleset.yaml", 15, 14)],
            _write("ruleset.yaml", RULESET_HEAD + LEAF % "best_is_float"),
            patch=lambda: _method("best_is_float", _import("BestIsFloat")),
        ),
        _case(
            "plugin-duplicate-name",
            "`parindex list` with a plugin registering a built-in method's name (a warning)",
            ["list"],
            [("PR705", "<plugin ?:points>", 0, 0)],
            _write("unused.txt", ""),
            patch=lambda: _entry_point("points", "tests.hardening.corpus_plugins:Points"),
            exit_code=0,
            file="(none: the plugin is installed)",
        ),
        _case(
            "plugin-api-version",
            "`parindex list` with a method plugin that targets another plugin API version",
            ["list"],
            [("PR703", "<plugin ?:future>", 0, 0)],
            _write("unused.txt", ""),
            patch=lambda: _entry_point("future", "tests.hardening.corpus_plugins:FutureApi"),
        ),
    ]


@contextlib.contextmanager
def _without_module(name: str) -> Iterator[None]:
    """As if an optional dependency were not installed (its import fails)."""
    saved = {k: v for k, v in sys.modules.items() if k == name or k.startswith(name + ".")}
    for key in saved:
        del sys.modules[key]
    sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        del sys.modules[name]
        sys.modules.update(saved)


@contextlib.contextmanager
def _without_modules(missing: str, *dependants: str) -> Iterator[None]:
    """As if `missing` were not installed, with the modules importing it not imported yet."""
    prefixes = (missing, *dependants)
    saved = {
        k: v
        for k, v in sys.modules.items()
        if any(k == p or k.startswith(p + ".") for p in prefixes)
    }
    for key in saved:
        del sys.modules[key]
    sys.modules[missing] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for key in [
            k for k in sys.modules if any(k == p or k.startswith(p + ".") for p in prefixes)
        ]:
            del sys.modules[key]
        sys.modules.update(saved)


class _FullStream(io.StringIO):
    """stdout on a full disk: every write fails as /dev/full's does."""

    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")


def _FullDisk() -> _FullStream:  # noqa: N802 - stands in for the function `stdout`
    return _FullStream()


def _chain(depth: int) -> dict[str, bytes | str]:
    """r0.yaml extends r1.yaml ... extends r{depth}.yaml, a complete ruleset."""
    files: dict[str, bytes | str] = {
        f"r{i}.yaml": f"extends: r{i + 1}.yaml\nid: corpus-2024/so\n" for i in range(depth)
    }
    files[f"r{depth}.yaml"] = RULESET_HEAD + LEAF % "points"
    return files


def _workbook(name: str, rows: list[list[Any]]) -> Callable[[Path], None]:
    """An .xlsx file with one sheet `Đơn vị` holding `rows` (built with openpyxl)."""

    def setup(folder: Path) -> None:
        import openpyxl

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Đơn vị"
        for row in rows:
            sheet.append(row)
        workbook.save(str(folder / name))

    return setup


def _zip_bomb(name: str, unpacked: int) -> Callable[[Path], None]:
    """A small .xlsx (zip) whose one entry unpacks to `unpacked` bytes of zeros."""

    def setup(folder: Path) -> None:
        import zipfile

        with (
            zipfile.ZipFile(folder / name, "w", zipfile.ZIP_DEFLATED) as archive,
            archive.open("xl/worksheets/sheet1.xml", "w") as entry,
        ):
            chunk = b"0" * (1 << 20)
            for _ in range(unpacked // len(chunk)):
                entry.write(chunk)

    return setup


@contextlib.contextmanager
def _attribute(module: str, name: str, value: Any) -> Iterator[None]:
    import importlib

    target = importlib.import_module(module)
    saved = getattr(target, name)
    setattr(target, name, value)
    try:
        yield
    finally:
        setattr(target, name, saved)


def _import(name: str) -> Any:
    from tests.hardening import corpus_plugins

    return getattr(corpus_plugins, name)
