"""The data folder's fingerprint (report inputs hash, load cache key): only the files spreadlab reads count, each
streamed, so nothing else under the folder is opened, however large or many (issue 23, item 6)."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest

import spreadlab
from spreadlab import fingerprints
from spreadlab.collation import _READ_ON_FIRST_USE
from spreadlab.paths import data_files


def test_the_fingerprint_opens_only_the_files_spreadlab_reads(data_copy, monkeypatch):
    (data_copy / "notes.txt").write_text("unrelated", encoding="utf-8")
    (data_copy / "programmes" / "draft.md").write_text("unrelated", encoding="utf-8")
    opened: list[Path] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *args: opened.append(Path(path)) or real_open(path, *args))
    fingerprints.data_fingerprint(data_copy)
    assert opened == data_files(data_copy)
    assert data_copy / "notes.txt" not in opened and data_copy / "programmes" / "draft.md" not in opened


def test_the_loader_reads_no_file_the_fingerprint_leaves_out(data_copy, monkeypatch):
    """What the fingerprint covers is what spreadlab reads: a data file added to the loader but not to
    paths.data_files would let the cache and reruns miss its edits."""
    from spreadlab import inputs

    read: list[Path] = []
    real_read = inputs.read_bytes
    monkeypatch.setattr(inputs, "read_bytes", lambda path, **kw: read.append(Path(path)) or real_read(path, **kw))
    collation = spreadlab.load(data_copy, cache=False)
    for name in _READ_ON_FIRST_USE:  # the parts read on first use (ranking rules, guidance, codebook, ...)
        getattr(collation, name)
    assert read and set(read) <= set(data_files(data_copy))
    assert {path.parent.name for path in read} >= {"guidance", "programmes", "pilot"}, "it sees every kind of file"


@pytest.mark.parametrize("change", ["edit", "add", "remove", "unrelated"])
def test_the_fingerprint_changes_with_every_file_spreadlab_reads_and_no_other(data_copy, change):
    before = fingerprints.data_fingerprint(data_copy)
    programme = min((data_copy / "programmes").glob("*.yaml"))
    if change == "edit":
        programme.write_text(programme.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    elif change == "add":
        (data_copy / "programmes" / "zz-new.yaml").write_text("id: x\n", encoding="utf-8")
    elif change == "remove":
        programme.unlink()
    else:
        (data_copy / "README.md").write_text("changed", encoding="utf-8")
        (data_copy / "programmes" / "notes.txt").write_text("new", encoding="utf-8")
    assert (fingerprints.data_fingerprint(data_copy) == before) == (change == "unrelated")


def test_a_fifo_under_a_data_file_name_does_not_hang_the_fingerprint(data_copy):
    (data_copy / "glossary.yaml").unlink()
    os.mkfifo(data_copy / "glossary.yaml")
    assert len(fingerprints.data_fingerprint(data_copy)) == 64


def _touched(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Path], list[Path]]:
    """The folders the fingerprint lists and the files it opens."""
    listed: list[Path] = []
    opened: list[Path] = []
    real_scandir, real_open = os.scandir, os.open
    with monkeypatch.context() as patch:
        patch.setattr(os, "scandir", lambda path=".": listed.append(Path(path)) or real_scandir(path))
        patch.setattr(os, "open", lambda path, *args: opened.append(Path(path)) or real_open(path, *args))
        fingerprints.data_fingerprint(folder)
    return listed, opened


def test_a_huge_file_or_100_000_small_files_beside_the_data_cost_nothing(data_copy, monkeypatch):
    """With 1.5 GB and 100,000 unrelated files in the folder, the fingerprint lists the same folders and opens the
    same files as without them, and holds as little memory (what it costs, not a timing that load can upset)."""
    alone = _touched(data_copy, monkeypatch)
    with open(data_copy / "recording.mp4", "wb") as video:  # sparse: 1.5 GB of file, no disk used
        video.truncate(1_500_000_000)
    clutter = data_copy / "exports"
    clutter.mkdir()
    for number in range(100_000):
        os.close(os.open(clutter / f"{number}.csv", os.O_CREAT | os.O_WRONLY))
    assert _touched(data_copy, monkeypatch) == alone
    tracemalloc.start()
    fingerprints.data_fingerprint(data_copy)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 10_000_000, peak
