"""The code's layers hold, and services get their inputs from the edge: the contracts of
pyproject.toml (import-linter), and no clock or application read below the edge."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "exchange"
# The edges: an API operation, a page, the feed server, the command line, the scheduler, the
# factory — and the two modules that make the edge (core.api, core.context).
EDGES = {"api.py", "pages.py"}
EDGE_MODULES = {"__init__.py", "cli.py", "scheduler.py", "core/api.py", "core/context.py", "core/openapi.py",
                "portal/auth.py", "protocol/feeds.py"}
APPLICATION = re.compile(r"\bcurrent_app\b|\bcurrent_context\(")
WALL_CLOCK = re.compile(r"\butcnow\(|datetime\.now\(|date\.today\(|time\.time\(|datetime\.utcnow\(")


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if not name.startswith("_bundled/"):
            yield name, path.read_text(encoding="utf-8")


def test_only_the_edges_read_the_application():
    below = [name for name, text in modules() if APPLICATION.search(text)
             and name not in EDGE_MODULES and Path(name).name not in EDGES]
    assert below == [], f"services read the application instead of being handed a Context: {below}"


def test_only_the_clock_reads_the_time():
    readers = [name for name, text in modules() if WALL_CLOCK.search(text) and name != "core/clock.py"]
    assert readers == [], f"read the time without the Context's clock (EXCHANGE_TODAY would be ignored): {readers}"


def test_the_import_contracts_hold():
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert command, "import-linter is not installed (make install)"
    result = subprocess.run([command], cwd=PACKAGE.parent, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
