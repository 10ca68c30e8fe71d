"""`check` runs on every commit, so its start-up is kept lean (ARCHITECTURE.md).

These tests pin which heavy modules the check and annotate paths import,
not how long anything takes: bench/run.py measures time.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / 'examples' / 'linux-mini'

# Each costs check several ms to import, and nothing on its path needs it.
HEAVY = ('dataclasses', 'inspect', 'pathlib', 'shutil', 'tempfile', 'json', 'importlib.resources',
         'clang_format', 'tree_sitter_c', 'unidiff', 'email', 'codemod.mail.series', 'codemod.kernel.maintainers.routing',
         # audit's ELF reader, disassembler and demangler
         'codemod.audit', 'elftools', 'capstone', 'pyderust')

PROBE = f'''
import sys
from codemod.cli import main
code = main(sys.argv[1:])
heavy = [m for m in {HEAVY!r} if m in sys.modules]
import json
print(json.dumps({{"code": code, "heavy": heavy}}), file=sys.stderr)
'''


def imported_by(tree: Path, *argv: str) -> tuple[int, list[str]]:
    """Run the CLI in a fresh interpreter: its exit code, and which HEAVY
    modules were imported by the time it returned."""
    proc = subprocess.run([sys.executable, '-c', PROBE, *argv], capture_output=True, text=True, cwd=tree)
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    return report['code'], report['heavy']


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / 'tree')
    return tmp_path / 'tree'


@pytest.mark.parametrize('argv', [
    pytest.param(['check'], id='check'),
    pytest.param(['check', 'rust/helpers/mutex.c'], id='check-paths'),
    pytest.param(['annotate'], id='annotate'),
])
def test_check_and_annotate_import_nothing_heavy(tree: Path, argv: list[str]) -> None:
    code, heavy = imported_by(tree, *argv, '--tree', str(tree))
    assert code == 1  # the example has helpers to annotate: the command did its work
    assert heavy == []


def test_the_probe_sees_heavy_imports(tree: Path) -> None:
    """`scan --json` does import json: the probe can fail."""
    code, heavy = imported_by(tree, 'scan', '--json', '--tree', str(tree))
    assert code == 0
    assert heavy == ['json']
