"""The suite's own layout: pytest imports test files by their base name (no __init__.py in tests/), so two files
with one name in different folders stop the whole run at collection (it happened twice)."""

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_no_two_test_files_share_a_name():
    names = Counter(path.name for path in TESTS.rglob("test_*.py"))
    assert [name for name, count in names.items() if count > 1] == []
