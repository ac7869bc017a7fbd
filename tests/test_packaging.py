"""The wheel ships every sub-package: pyproject.toml lists packages by hand (the rulesets are
mapped from outside src/), so a sub-package missing from the list would silently not ship."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT

SRC = ROOT / "src"


def _setuptools() -> dict[str, Any]:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+; the listing is the same on 3.10
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    config: dict[str, Any] = data["tool"]["setuptools"]
    return config


def _folders_with_code() -> set[Path]:
    """Every folder under src/parindex_rules holding Python modules."""
    return {
        path.parent
        for path in (SRC / "parindex_rules").rglob("*.py")
        if "__pycache__" not in path.parts
    }


def test_every_sub_package_is_listed() -> None:
    listed = set(_setuptools()["packages"])
    found = {".".join(folder.relative_to(SRC).parts) for folder in _folders_with_code()}
    missing = sorted(found - listed)
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"


def test_every_folder_with_code_is_a_package() -> None:
    """A folder of modules without __init__.py would be a namespace package, which the listing
    does not ship either."""
    bare = sorted(
        str(folder.relative_to(SRC))
        for folder in _folders_with_code()
        if not (folder / "__init__.py").is_file()
    )
    assert not bare, f"add an __init__.py to {bare}"


def test_every_listed_package_exists() -> None:
    """The mapped ones (the rulesets, from the repository's top) where package-dir says."""
    config = _setuptools()
    mapped: dict[str, str] = config["package-dir"]
    for package in config["packages"]:
        if package in mapped:
            folder = ROOT / mapped[package]
        else:
            folder = ROOT / mapped[""] / Path(*package.split("."))
        assert (folder / "__init__.py").is_file(), package
