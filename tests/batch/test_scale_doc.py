"""docs/scale.md's worked example runs, as written, on a local Dask cluster."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

from ..conftest import ROOT

pytest.importorskip("dask.dataframe", reason="the Dask example needs dask[dataframe]")
pytest.importorskip("dask.distributed", reason="the Dask example needs distributed")


def example() -> str:
    text = (ROOT / "docs" / "scale.md").read_text(encoding="utf-8")
    match = re.search(r"```python dask-example\n(.*?)```", text, re.S)
    assert match, "docs/scale.md lost its dask-example block"
    return match.group(1)


def test_the_dask_example_scores_each_partition_exactly() -> None:
    """Worked by hand from the Cà Mau rows (rulebooks.md §5): don-vi-0 is kịp thời 1 + đầy đủ 1
    + đạt 1 + 90 % → 1 (từ 70% - 90%) + đủ 1 + đạt 1 = 6 of 7 = 85.71 %; don-vi-1 is không
    kịp thời 0.5 + không đầy đủ 0 + đạt 1 + 95.5 % → 2 + đủ 1 + không đạt 0 = 4.5 (64.29 %)."""
    namespace: dict[str, object] = {"__name__": "__main__"}
    output = io.StringIO()
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(output):
            exec(compile(example(), "docs/scale.md", "exec"), namespace)
    finally:
        os.chdir(cwd)
    scores = namespace["scores"]
    by_unit = {row["unit"]: row for row in scores.to_dict("records")}  # type: ignore[attr-defined]
    assert len(by_unit) == 12
    assert by_unit["don-vi-0"]["total.score"] == "6.00"
    assert by_unit["don-vi-0"]["total.index"] == "85.71"
    assert by_unit["don-vi-1"]["total.score"] == "4.50"
    assert by_unit["don-vi-1"]["total.index"] == "64.29"
    assert [by_unit[f"don-vi-{i}"]["total.index"] for i in (2, 3)] == ["57.14", "71.43"]
    assert "85.71" in output.getvalue()
