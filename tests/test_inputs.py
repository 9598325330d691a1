"""Reading the files users hand in (spreadlab.inputs): only regular files of a bounded size, YAML with limits
on nesting and aliases, duplicate keys refused, one line naming the file for each refusal."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from spreadlab.errors import SpreadlabError
from spreadlab.inputs import MAX_DEPTH, load_yaml, read_text, shorten


def alias_bomb(levels: int = 10) -> str:
    """A YAML document whose last alias expands to 10**levels items."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, levels)]
    return "\n".join(lines) + f"\nname: *a{levels - 1}\n"


def one_line_error(call, *args, **kwargs) -> str:
    with pytest.raises(SpreadlabError) as caught:
        call(*args, **kwargs)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 300, message
    return message


@pytest.fixture
def special_files(tmp_path) -> dict[str, Path]:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    loop_a, loop_b = tmp_path / "loop-a.yaml", tmp_path / "loop-b.yaml"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("name: Café\n".encode("cp1252"))
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 2_000)
    return {"fifo": fifo, "loop": loop_a, "folder": folder, "device": Path("/dev/zero"), "latin": latin,
            "big": big, "missing": tmp_path / "missing.yaml"}


@pytest.mark.parametrize(("kind", "expected"), [
    ("fifo", "the profile is a FIFO (named pipe), not a regular file"),
    ("loop", "cannot read the profile: a symbolic link that points back to itself"),
    ("folder", "the profile is a folder, not a file"),
    ("device", "the profile is a device, not a regular file"),
    ("latin", "the profile is not UTF-8 text (byte 0xe9 at position 9)"),
    ("big", "the profile is too large (2,000 bytes; at most 1,000)"),
    ("missing", "profile file not found"),
])
def test_read_text_refuses_what_is_not_a_small_text_file_in_one_line(special_files, kind, expected):
    path = special_files[kind]
    started = time.monotonic()
    message = one_line_error(read_text, path, what="profile", max_bytes=1_000)
    assert message == f"{path}: {expected}"
    assert time.monotonic() - started < 1, "no read may wait on a pipe or a device"


def test_read_text_reads_utf8_with_or_without_a_byte_order_mark(tmp_path):
    plain, marked = tmp_path / "plain.yaml", tmp_path / "marked.yaml"
    plain.write_text("name: Café\n", encoding="utf-8")
    marked.write_text("name: Café\n", encoding="utf-8-sig")
    assert read_text(plain, what="profile") == read_text(marked, what="profile") == "name: Café\n"


def test_a_ten_level_alias_bomb_fails_fast_in_one_line():
    started = time.monotonic()
    message = one_line_error(load_yaml, alias_bomb(), what="profile", source="bomb.yaml")
    assert time.monotonic() - started < 1
    assert message == ("bomb.yaml: aliases expand to more than 100,000 values at line 5, column 5 "
                       "(write the values out, or use fewer aliases)")


def test_a_few_aliases_still_load():
    assert load_yaml("base: &b {a: 1}\ncopy: *b\n", what="profile", source="s") == {"base": {"a": 1},
                                                                                   "copy": {"a": 1}}


def test_duplicate_keys_are_refused_naming_the_line():
    message = one_line_error(load_yaml, "name: A\nnature: simple\nname: B\n", what="profile", source="p.yaml")
    assert message == "p.yaml: duplicate key 'name' at line 3, column 1 (each key may appear once)"


def test_deep_nesting_is_refused_without_a_recursion_error():
    deep = "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    assert f"nested more than {MAX_DEPTH} levels deep" in one_line_error(load_yaml, deep, what="p", source="p")
    very_deep = "[" * 100_000
    assert "is not valid YAML" in one_line_error(load_yaml, very_deep, what="p", source="p")


def test_an_alias_inside_itself_is_refused():
    message = one_line_error(load_yaml, "a: &a [1, *a]\n", what="p", source="p.yaml")
    assert message == "p.yaml: an alias refers to the list or mapping that contains it at line 1, column 4"


def test_invalid_yaml_is_one_line_with_its_position():
    message = one_line_error(load_yaml, "name: [unclosed\n", what="p", source="p.yaml")
    assert message.startswith("p.yaml: is not valid YAML at line 2, column 1: ")


def test_shorten_cuts_long_and_huge_values_without_walking_them():
    nested: list = [1] * 10
    for _ in range(9):
        nested = [nested] * 10  # 10**10 items if walked whole
    started = time.monotonic()
    assert len(shorten(nested)) <= 80 and len(shorten("x" * 50_000_000)) <= 80
    assert time.monotonic() - started < 1
    assert shorten("short") == "'short'" and shorten("a\x1b[31mb") == "'a\\x1b[31mb'"


@pytest.mark.parametrize(("number", "shown"), [
    ("1" * 5_000, "a whole number of 5,000 characters at line {line}, column {column} (at most 100)"),
    ("0x" + "f" * 5_000, "a whole number of 5,002 characters at line {line}, column {column} (at most 100)"),
    ("0b" + "1" * 20_000, "a whole number of 20,002 characters at line {line}, column {column} (at most 100)"),
    ("1_" + "0" * 5_000, "a whole number of 5,002 characters at line {line}, column {column} (at most 100)"),
    ("2001-13-45", "is not valid YAML: a value cannot be read ('month must be in 1..12')"),
], ids=["decimal", "hexadecimal", "binary", "underscores", "impossible date"])
@pytest.mark.parametrize("kind", ["profile", "portfolio", "data folder"])
def test_a_huge_whole_number_or_an_impossible_date_in_any_yaml_is_one_line(tmp_path, capsys, data_copy, profile_values,
                                                                           number, shown, kind):
    """Python refuses to turn more than 4,300 digits into an int (and a hex number into text): each was a
    traceback from any YAML a user hands in."""
    import yaml

    from spreadlab.cli import main

    document = yaml.safe_dump(profile_values | {"timescale_months": "NUMBER"}, sort_keys=False)
    if kind == "profile":
        path, command = tmp_path / "profile.yaml", ["plan"]
    elif kind == "portfolio":
        path, command = tmp_path / "portfolio.yaml", ["batch", "--out", str(tmp_path / "out")]
        document = "- " + document.replace("\n", "\n  ")
    else:
        path, command = data_copy / "glossary.yaml", ["validate", "--data"]
        document = path.read_text(encoding="utf-8") + "\nextra: NUMBER\n"
    line = next(n for n, text in enumerate(document.splitlines(), start=1) if "NUMBER" in text)
    column = document.splitlines()[line - 1].index("NUMBER") + 1
    path.write_text(document.replace("'NUMBER'", number).replace("NUMBER", number), encoding="utf-8")
    code = main([*command, str(path if kind != "data folder" else data_copy)])
    error = capsys.readouterr().err
    # `validate` lists every problem of a data folder under a count, one line each.
    lines = error.splitlines()[1:] if kind == "data folder" else error.splitlines()
    assert code == 1 and len(lines) == 1 and "Traceback" not in error, error
    assert shown.format(line=line, column=column) in lines[0]
