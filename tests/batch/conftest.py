"""Batch tests need numpy (the `batch` extra, part of the `test` extra)."""

from __future__ import annotations

import pytest

pytest.importorskip("numpy", reason="batch evaluation needs numpy: pip install '.[batch]'")
