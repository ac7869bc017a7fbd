"""The compiled-ruleset cache key follows installed plugins: upgrading one, or editing an
editable one's code, gives another key, so a stale compiled ruleset is never served."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest

from parindex_rules.loader import cache
from parindex_rules.plugins import registry

from ..conftest import EXAMPLES
from .conftest import FakeDist

TEXT = (EXAMPLES / "camau-2013" / "ruleset.yaml").read_text(encoding="utf-8")

DOUBLE = """
from parindex_rules.expr.functions import FunctionSpec

def _double(env, text, x):
    return x * 2

DOUBLE = FunctionSpec("double", _double, 1, 1, api_version=1)
"""


@pytest.fixture(autouse=True)
def cache_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARINDEX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PARINDEX_NO_CACHE", raising=False)


def _upgrade(tmp_path: Path, name: str, old: str, new: str) -> None:
    """What `pip install -U` does to the metadata: the same distribution, a new version."""
    info = tmp_path / f"{name.replace('-', '_')}-{old}.dist-info"
    metadata_file = info / "METADATA"
    metadata_file.write_text(
        metadata_file.read_text(encoding="utf-8").replace(f"Version: {old}", f"Version: {new}"),
        encoding="utf-8",
    )
    info.rename(tmp_path / f"{name.replace('-', '_')}-{new}.dist-info")
    importlib.invalidate_caches()
    registry.reset()


def _key() -> str:
    key = cache.key(TEXT, "ruleset.yaml")
    assert key is not None
    return key


def test_upgrading_a_function_plugin_changes_the_key(fake_dist: FakeDist, tmp_path: Path) -> None:
    fake_dist("fake-double", {"functions": {"double": "{module}:DOUBLE"}}, DOUBLE)
    assert "double" in registry.names("functions")
    before = _key()
    assert _key() == before  # stable while nothing changes
    _upgrade(tmp_path, "fake-double", "1.0", "1.1")
    assert registry.info("functions", "double").version == "1.1"  # type: ignore[union-attr]
    assert _key() != before


def test_upgrading_any_plugin_distribution_changes_the_key(
    fake_dist: FakeDist, tmp_path: Path
) -> None:
    """A distribution that ships no method or function (here an exporter) counts too: what it
    ships may change with the upgrade (a ruleset pack, a function added later)."""
    fake_dist(
        "fake-exporter",
        {"exporters": {"fake_csv": "{module}:NOTHING"}},
        "NOTHING = None\n",
    )
    before = _key()
    _upgrade(tmp_path, "fake-exporter", "1.0", "2.0")
    assert _key() != before


def test_editing_an_editable_plugins_code_changes_the_key(
    fake_dist: FakeDist, tmp_path: Path
) -> None:
    """No version bump: the module's size and modification time are in the key."""
    module = fake_dist("fake-double", {"functions": {"double": "{module}:DOUBLE"}}, DOUBLE)
    before = _key()
    source = tmp_path / f"{module}.py"
    source.write_text(DOUBLE.replace("x * 2", "x * 3"), encoding="utf-8")
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert _key() != before
