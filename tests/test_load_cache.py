"""The load cache: a second `load()` of the same files skips reading and validating them, and an edited, added or
removed data file, a foreign or broken entry, or concurrent writers never give anything but what the files say."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
import yaml

import spreadlab
from spreadlab import load_cache
from spreadlab.collation import Collation
from spreadlab.paths import PACKAGE_ROOT


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    """A cache folder of this test's own (XDG_CACHE_HOME, which platformdirs follows, for child processes too)."""
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def _entries(cache_home: Path) -> list[Path]:
    folder = cache_home / "spreadlab" / "collations"
    return sorted(folder.glob("*.pickle")) if folder.is_dir() else []


def _load_in_a_new_process(data: Path, cache_home: Path) -> dict:
    """Load `data` in a fresh interpreter; what it loaded and whether it imported pydantic (only reading and
    validating the files needs it)."""
    code = ("import json, sys, spreadlab; c = spreadlab.load(sys.argv[1]); "
            "print(json.dumps({'names': list(c.programmes['name']), 'pydantic': 'pydantic' in sys.modules}))")
    done = subprocess.run([sys.executable, "-c", code, str(data)], capture_output=True, text=True, timeout=120,
                          env=os.environ | {"XDG_CACHE_HOME": str(cache_home)}, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_second_load_in_a_new_process_comes_from_the_cache_without_reading_the_files(data_copy, cache_home):
    first = _load_in_a_new_process(data_copy, cache_home)
    assert first["pydantic"], "the first load reads and validates the files"
    assert len(_entries(cache_home)) == 1
    second = _load_in_a_new_process(data_copy, cache_home)
    assert not second["pydantic"], "a hit builds nothing from the files"
    assert second["names"] == first["names"]


def test_every_table_from_the_cache_equals_a_fresh_load(data_copy, cache_home):
    spreadlab.load(data_copy)  # writes the entry
    cached, fresh = spreadlab.load(data_copy), spreadlab.load(data_copy, cache=False)
    assert set(Collation.table_names()) >= {"approaches", "methods", "programmes", "programme_profiles", "glossary"}
    for name in Collation.table_names():
        value, expected = getattr(cached, name), getattr(fresh, name)
        if isinstance(expected, pd.DataFrame):
            pd.testing.assert_frame_equal(value, expected)
        else:
            assert _same(value, expected), name
    assert cached.records is None and fresh.records is None, "both ways give the same kind of collation"


def _same(value: object, expected: object) -> bool:
    """Equal, counting a missing value (NaN) in the same place as equal."""
    if isinstance(value, float) and isinstance(expected, float) and math.isnan(value) and math.isnan(expected):
        return True
    if isinstance(value, dict) and isinstance(expected, dict):
        return value.keys() == expected.keys() and all(_same(value[key], expected[key]) for key in value)
    if isinstance(value, tuple | list) and isinstance(expected, tuple | list):
        return len(value) == len(expected) and all(map(_same, value, expected))
    return value == expected


def _rename_first_programme(data: Path, name: str) -> None:
    path = min((data / "programmes").glob("*.yaml"))
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["name"] = name
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_any_edit_added_or_removed_file_is_read_from_the_files(data_copy, cache_home):
    before = spreadlab.load(data_copy)
    _rename_first_programme(data_copy, "A renamed programme")
    assert "A renamed programme" in set(spreadlab.load(data_copy).programmes["name"])
    removed = max((data_copy / "programmes").glob("*.yaml"))
    removed.unlink()
    assert len(spreadlab.load(data_copy).programmes) == len(before.programmes) - 1
    (data_copy / "glossary.yaml").unlink()
    with pytest.raises(spreadlab.CollationError, match="glossary.yaml: file is missing"):
        spreadlab.load(data_copy)


def test_an_edit_that_keeps_size_and_modification_time_is_still_seen(data_copy, cache_home):
    """The key is the files' content, not their size and time stamps."""
    spreadlab.load(data_copy)
    path = data_copy / "glossary.yaml"
    text, stamp = path.read_text(encoding="utf-8"), path.stat()
    document = yaml.safe_load(text)
    term = document["terms"][0]["term"]
    changed = text.replace(term, term[::-1].swapcase()[: len(term)], 1)
    assert len(changed) == len(text) and changed != text
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert term not in set(spreadlab.load(data_copy).glossary["term"])


def test_an_invalid_folder_is_never_cached(data_copy, cache_home):
    (data_copy / "glossary.yaml").write_text("terms: nonsense\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(spreadlab.CollationError):
            spreadlab.load(data_copy)
    assert _entries(cache_home) == []


def test_a_broken_or_foreign_entry_is_a_miss_and_is_replaced(data_copy, cache_home):
    spreadlab.load(data_copy)
    [entry] = _entries(cache_home)
    entry.write_bytes(b"not a pickle")
    assert len(spreadlab.load(data_copy).methods) == 24
    assert entry.read_bytes() != b"not a pickle", "the broken entry was written again"
    entry.chmod(0o666)  # writable by others: not trusted, whatever it holds
    assert load_cache.read(entry.stem) is None
    entry.chmod(0o600)
    assert load_cache.read(entry.stem) is not None


def test_the_cache_lives_in_the_user_cache_folder_not_the_package_or_the_data(data_copy, cache_home):
    package_files = set(PACKAGE_ROOT.iterdir())
    data_files = set(data_copy.rglob("*"))
    spreadlab.load(data_copy)
    assert _entries(cache_home) and _entries(cache_home)[0].is_relative_to(cache_home)
    assert set(data_copy.rglob("*")) == data_files
    assert set(PACKAGE_ROOT.iterdir()) == package_files
    folder = cache_home / "spreadlab" / "collations"
    assert folder.stat().st_mode & 0o777 == 0o700 and _entries(cache_home)[0].stat().st_mode & 0o077 == 0


def test_concurrent_first_loads_all_succeed_and_leave_one_whole_entry(data_copy, cache_home):
    with ThreadPoolExecutor(4) as pool:
        processes = list(pool.map(lambda _: _load_in_a_new_process(data_copy, cache_home), range(4)))
    assert len({tuple(done["names"]) for done in processes}) == 1
    [entry] = _entries(cache_home)
    assert load_cache.read(entry.stem) is not None
    assert not [path for path in entry.parent.iterdir() if not path.name.endswith(".pickle")], "no leftovers"


def test_old_entries_are_pruned(data_copy, cache_home, monkeypatch):
    monkeypatch.setattr(load_cache, "KEEP_ENTRIES", 2)
    for number in range(4):
        _rename_first_programme(data_copy, f"Version {number}")
        spreadlab.load(data_copy)
    assert len(_entries(cache_home)) == 2
    assert "Version 3" in set(spreadlab.load(data_copy).programmes["name"])


def test_an_unwritable_cache_folder_still_loads(data_copy, cache_home):
    cache_home.mkdir()
    (cache_home / "spreadlab").write_text("a file where the folder should be", encoding="utf-8")
    assert len(spreadlab.load(data_copy).methods) == 24
