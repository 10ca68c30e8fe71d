"""scan/check/annotate on Debian's real linux-source-6.12, with the kernel's own checkpatch."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from codemod.c_source.helpers import scan_bytes
from codemod.cli import main
from tests.gitrepo import git

pytestmark = pytest.mark.kernel


@pytest.fixture
def repo(linux_612_repo: Path) -> Path:
    return linux_612_repo


def test_check_reports_the_31_helpers_in_17_files(repo, capsys):
    rc = main(['check', '--tree', str(repo)])
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert rc == 1
    assert len(lines) == 31
    assert all(ln.endswith('is missing __rust_helper [missing-annotation]') for ln in lines)
    assert len({ln.split(':', 1)[0] for ln in lines}) == 17
    assert 'rust/helpers/slab.c:5:1: error: rust_helper_krealloc is missing __rust_helper' in out
    assert err.startswith('31 helpers missing __rust_helper in 17 files')


def _header_lines(data: bytes) -> set[int]:
    lines: set[int] = set()
    for h in scan_bytes(data).helpers:
        first, last = h.header_lines
        lines.update(range(first, last + 1))
    return lines


def _changed_lines(diff: str) -> dict[str, tuple[set[int], set[int]]]:
    """Per file: old line numbers removed, new line numbers added (from -U0)."""
    changed: dict[str, tuple[set[int], set[int]]] = {}
    for chunk in diff.split('diff --git ')[1:]:
        path = re.search(r'^\+\+\+ b/(.*)$', chunk, re.M).group(1)
        old, new = changed.setdefault(path, (set(), set()))
        for m in re.finditer(r'^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@', chunk, re.M):
            a, b = int(m.group(1)), int(m.group(2) or 1)
            c, d = int(m.group(3)), int(m.group(4) or 1)
            old.update(range(a, a + b))
            new.update(range(c, c + d))
    return changed


def test_annotate_touches_only_declarations_and_passes_checkpatch(repo, linux_612, capsys):
    originals = {p: p.read_bytes() for p in (repo / 'rust/helpers').rglob('*.c')}
    assert main(['annotate', '--tree', str(repo)]) == 1
    assert main(['check', '--tree', str(repo)]) == 0
    after = {p: p.read_bytes() for p in originals}
    assert main(['annotate', '--tree', str(repo)]) == 0
    assert {p: p.read_bytes() for p in originals} == after
    capsys.readouterr()

    changed = _changed_lines(git(repo, 'diff', '-U0'))
    assert len(changed) == 17
    for rel, (old_lines, new_lines) in changed.items():
        path = repo / rel
        assert old_lines <= _header_lines(originals[path]), rel
        assert new_lines <= _header_lines(after[path]), rel

    diff = git(repo, 'diff')
    res = subprocess.run(
        ['perl', 'scripts/checkpatch.pl', '--strict', '--no-signoff', '--show-types', '--terse', '-'],
        cwd=linux_612, input=diff, capture_output=True, text=True,
    )
    types = re.findall(r': (?:ERROR|WARNING|CHECK):([A-Z_]+):', res.stdout)
    assert 'LONG_LINE' not in types and 'PARENTHESIS_ALIGNMENT' not in types, res.stdout
    assert types == ['AVOID_BUG'], res.stdout
    # checkpatch names the patch line: the touched rust_helper_BUG header.
    line_no = int(re.search(r'^-:(\d+): WARNING:AVOID_BUG:', res.stdout, re.M).group(1))
    assert diff.split('\n')[line_no - 1] == '+__rust_helper __noreturn void rust_helper_BUG(void)'
