"""The compiled-ruleset cache: warm loads skip compiling, and an entry is never stale."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import parindex_rules as pr
from parindex_rules import api
from parindex_rules.loader import cache

from ..conftest import EXAMPLES

RULESET = EXAMPLES / "camau-2013" / "ruleset.yaml"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PARINDEX_CACHE_DIR", str(folder))
    monkeypatch.delenv("PARINDEX_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "ruleset.yaml"
    target.write_text(RULESET.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def _no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("compiled again although the cache holds this text")

    monkeypatch.setattr(api, "compile_document", refuse)


def test_warm_load_comes_from_the_cache_and_scores_the_same(
    cache_dir: Path, copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    facts = pr.load_facts(EXAMPLES / "camau-2013" / "facts.yaml")
    cold = pr.load(copy)
    assert len(list(cache_dir.glob("*.pickle"))) == 1
    _no_compiling(monkeypatch)
    warm = pr.load(copy)
    assert warm.compiled is not cold.compiled
    assert warm.compiled.leaf_order == cold.compiled.leaf_order
    for unit in facts.units:
        a, b = cold.evaluate(unit), warm.evaluate(unit)
        assert (a.score, a.index) == (b.score, b.index)
        assert a.explain().to_text() == b.explain().to_text()


def test_an_edited_file_is_compiled_again_never_served_stale(cache_dir: Path, copy: Path) -> None:
    """The key is the content's hash: a changed maximum is seen at once."""
    assert pr.load(copy).document.title.startswith("Chỉ số CCHC")
    text = copy.read_text(encoding="utf-8").replace(
        "title: Chỉ số CCHC", "title: Đã sửa — Chỉ số CCHC", 1
    )
    copy.write_text(text, encoding="utf-8")
    assert pr.load(copy).document.title.startswith("Đã sửa")
    assert len(list(cache_dir.glob("*.pickle"))) == 2


def test_the_same_text_under_another_name_keeps_its_own_file_name(
    cache_dir: Path, copy: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(copy.read_text(encoding="utf-8"), encoding="utf-8")
    assert pr.load(copy).file == str(copy)
    assert pr.load(other).file == str(other)


def test_deleting_the_cache_is_safe(cache_dir: Path, copy: Path) -> None:
    first = pr.load(copy)
    assert cache.clear() == 1
    assert not list(cache_dir.glob("*.pickle"))
    again = pr.load(copy)
    assert again.compiled.leaf_order == first.compiled.leaf_order
    assert len(list(cache_dir.glob("*.pickle"))) == 1


def test_a_corrupt_entry_is_ignored_and_replaced(
    cache_dir: Path, copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pr.load(copy)
    (entry,) = cache_dir.glob("*.pickle")
    entry.write_bytes(b"\x80\x05 not a pickle at all")
    assert pr.load(copy).id == "camau-2013/so-trich"
    assert entry.read_bytes().startswith(b"\x80")
    _no_compiling(monkeypatch)
    assert pr.load(copy).id == "camau-2013/so-trich"  # the rewritten entry is good


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_folder_others_can_write_is_not_trusted(cache_dir: Path, copy: Path) -> None:
    pr.load(copy)
    cache_dir.chmod(0o777)
    text = copy.read_text(encoding="utf-8")
    assert cache.load(text, str(copy)) is None
    cache_dir.chmod(0o700)
    assert cache.load(text, str(copy)) is not None


def test_turned_off_by_environment(
    cache_dir: Path, copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARINDEX_NO_CACHE", "1")
    pr.load(copy)
    assert not cache_dir.exists()


def test_off_under_pytest_unless_a_folder_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARINDEX_CACHE_DIR", raising=False)
    monkeypatch.delenv("PARINDEX_NO_CACHE", raising=False)
    assert cache.cache_dir() is None  # PYTEST_CURRENT_TEST is set while a test runs


def test_a_runtime_plugin_turns_caching_off(cache_dir: Path, copy: Path) -> None:
    from parindex_rules.expr import functions
    from parindex_rules.plugins import registry

    registry.register(
        "functions", "tien_ich", functions.ABS.__class__("tien_ich", functions.ABS.impl, 1, 1)
    )
    try:
        assert cache.key(copy.read_text(encoding="utf-8"), str(copy)) is None
    finally:
        registry.unregister("functions", "tien_ich")


def test_a_ruleset_that_extends_another_is_never_served_stale(
    cache_dir: Path, tmp_path: Path
) -> None:
    """The child's text does not change when its base does: such files are not cached."""
    base = tmp_path / "base.yaml"
    base.write_text(RULESET.read_text(encoding="utf-8"), encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("extends: base.yaml\nid: camau-2013/so-con\n", encoding="utf-8")
    assert pr.load(child).id == "camau-2013/so-con"
    assert pr.load(child).document.title.startswith("Chỉ số CCHC")
    base.write_text(
        base.read_text(encoding="utf-8").replace("title: Chỉ số", "title: Mới — Chỉ số", 1),
        encoding="utf-8",
    )
    assert pr.load(child).document.title.startswith("Mới")
    assert not list(cache_dir.glob("*.pickle")) or all(
        "extends" not in p.name for p in cache_dir.glob("*.pickle")
    )
    assert cache.key(child.read_text(encoding="utf-8"), str(child)) is None


def _entries(folder: Path, ages_in_days: list[float]) -> list[Path]:
    """Fake entries, the i-th last used `ages_in_days[i]` days ago."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = time.time()
    made = []
    for i, age in enumerate(ages_in_days):
        path = folder / f"{i:064x}.pickle"
        path.write_bytes(b"x")
        os.utime(path, (now - age * 86400, now - age * 86400))
        made.append(path)
    return made


def test_prune_keeps_the_newest_and_drops_the_old(cache_dir: Path) -> None:
    """Ages 1, 5, 2, 200, 3 days. keep=3 → the three most recently used stay (1, 2, 3 days);
    then max_age 2.5 days → the 3-day entry goes too."""
    made = _entries(cache_dir, [1, 5, 2, 200, 3])
    assert cache.prune(keep=3, max_age_days=365) == 2
    assert sorted(cache_dir.glob("*.pickle")) == [made[0], made[2], made[4]]
    assert cache.prune(keep=3, max_age_days=2.5) == 1
    assert sorted(cache_dir.glob("*.pickle")) == [made[0], made[2]]
    assert cache.prune() == 0  # the defaults (256 entries, 90 days) keep both


def test_prune_drops_entries_unused_for_the_default_age(cache_dir: Path) -> None:
    made = _entries(cache_dir, [cache.UNUSED_DAYS + 1, cache.UNUSED_DAYS - 1])
    leftover = cache_dir / ".abc.pickle.x1.tmp"  # an interrupted write, two hours old
    leftover.write_bytes(b"x")
    os.utime(leftover, (time.time() - 7200, time.time() - 7200))
    assert cache.prune() == 2
    assert list(cache_dir.iterdir()) == [made[1]]


def test_storing_prunes_and_loading_marks_an_entry_used(
    cache_dir: Path, copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`other` was used before `copy` (an hour vs a minute more ago); a cache hit on `other`
    makes it the most recently used, so prune(keep=1) keeps it. With KEEP = 1, storing a third
    ruleset leaves only the third."""
    text = copy.read_text(encoding="utf-8")
    other, third = tmp_path / "other.yaml", tmp_path / "third.yaml"
    for path in (other, third):
        path.write_text(text, encoding="utf-8")
    pr.load(copy)
    pr.load(other)
    first, second = (cache_dir / f"{cache.key(text, str(p))}.pickle" for p in (copy, other))
    old = time.time() - 3600
    os.utime(first, (old, old))
    os.utime(second, (old - 60, old - 60))
    _no_compiling(monkeypatch)
    pr.load(other)  # a hit: `other` becomes the most recently used
    monkeypatch.undo()
    monkeypatch.setenv("PARINDEX_CACHE_DIR", str(cache_dir))
    monkeypatch.delenv("PARINDEX_NO_CACHE", raising=False)
    assert cache.prune(keep=1) == 1
    assert list(cache_dir.glob("*.pickle")) == [second]
    monkeypatch.setattr(cache, "KEEP", 1)
    pr.load(third)  # stored, then pruned to one entry
    assert [p.stem for p in cache_dir.glob("*.pickle")] == [cache.key(text, str(third))]
