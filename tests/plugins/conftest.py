"""Fixtures for plugin tests: fake distributions made at test time, and the example plugin.

Broken plugins are tested without installing anything: :func:`fake_dist` writes a
``<name>.dist-info`` folder (METADATA and entry_points.txt) and the plugin's module into a
temporary directory, puts it on ``sys.path`` and resets the registry, so that
``importlib.metadata.entry_points()`` finds it exactly as it finds an installed package.
Everything is undone afterwards.
"""

from __future__ import annotations

import importlib
import os
import sys
import textwrap
import uuid
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path

import pytest

from parindex_rules.plugins import registry

DEMO = "parindex-plugin-demo"
DEMO_DIR = Path(__file__).resolve().parents[2] / "examples" / "plugins" / DEMO

#: fake_dist(name, entry_points, code, version=, package=) -> the module the code was written to.
FakeDist = Callable[..., str]


@pytest.fixture
def fake_dist(tmp_path: Path) -> Iterator[FakeDist]:
    """Make fake installed distributions; `{module}` in entry points names the written module."""
    made: list[str] = []
    sys.path.append(str(tmp_path))

    def make(
        name: str,
        entry_points: dict[str, dict[str, str]],
        code: str = "",
        *,
        version: str = "1.0",
        package: bool = False,
    ) -> str:
        module = f"fake_plugin_{uuid.uuid4().hex[:12]}"
        made.append(module)
        target = tmp_path / f"{module}.py"
        if package:  # a package folder, e.g. to ship ruleset files as data
            (tmp_path / module).mkdir()
            target = tmp_path / module / "__init__.py"
        target.write_text(textwrap.dedent(code), encoding="utf-8")
        info = tmp_path / f"{name.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
        )
        lines = []
        for group, entries in entry_points.items():
            lines.append(f"[parindex_rules.{group}]")
            lines += [f"{k} = {v.format(module=module)}" for k, v in entries.items()]
        (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        importlib.invalidate_caches()
        registry.reset()
        return module

    yield make
    sys.path.remove(str(tmp_path))
    for module in made:
        sys.modules.pop(module, None)
    importlib.invalidate_caches()
    registry.reset()


def demo_installed() -> bool:
    try:
        metadata.distribution(DEMO)
    except metadata.PackageNotFoundError:
        return False
    return True


def require_demo() -> Path:
    """The example plugin must be installed as a distribution; in CI its absence fails."""
    if not demo_installed():
        message = (
            f"the example plugin {DEMO} is not installed: "
            f"pip install -e examples/plugins/{DEMO} (the README's test command does it)"
        )
        if os.environ.get("CI"):
            pytest.fail(message + "; it is required when CI is set")
        pytest.skip(message)
    return DEMO_DIR


@pytest.fixture
def demo() -> Path:
    """The example plugin's folder, once it is known to be installed; a fresh registry."""
    folder = require_demo()
    registry.reset()
    return folder


@pytest.fixture(scope="module")
def demo_for_module() -> Path:
    """The same check for module-scoped users (hypothesis tests cannot take `demo`)."""
    return require_demo()
