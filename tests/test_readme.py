"""The README's quick start: two commands, the demo first; its screenshot is in the repository."""

import re
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def block_after(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\n```sh\n(.*?)\n```", README, re.DOTALL)
    assert match, f"no sh block after <!-- {marker} -->"
    return match.group(1)


def test_the_quick_start_runs_the_demo_then_the_tests():
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert len(re.findall(r"^```sh$", quick_start, re.MULTILINE)) == 2
    assert block_after("main-command") == "pip install -e . && strataview demo"
    assert block_after("test-command") == "pip install -e '.[test]' && python -m pytest"


def test_the_screenshot_the_readme_shows_is_a_1400_by_900_png():
    [path] = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", README)
    data = (ROOT / path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1400, 900)
