"""bench/stress.py's comparison on a fixed sample of the real tree, in the suite.

Every 50th .c file of 6.12 (outside rust/, tools/, scripts/ and
Documentation/, in path order) is scanned as a helper file would be, with
the tree's headers to learn from, and held against universal-ctags
(tests/ctags_oracle.py). Any false, misnamed or silently missed definition
fails; where ctags is wrong, the case must fall under one of its rules.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codemod.c_source.helpers import scan_bytes
from codemod.c_source.scan import ScannedFile
from codemod.commands.scan import helper_row
from codemod.commands.scan import problem_rows
from codemod.kernel.header_macros import knowledge_for
from codemod.kernel.tree import HelperFile
from tests import ctags_oracle
from tests import ctags_rules

EVERY = 50
EXCLUDED = ('rust', 'tools', 'scripts', 'Documentation')


def sample(tree: Path) -> list[str]:
    rels = sorted(p.relative_to(tree).as_posix() for p in tree.rglob('*.c')
                  if p.relative_to(tree).parts[0] not in EXCLUDED)
    return rels[::EVERY]


@pytest.mark.kernel
def test_no_false_misnamed_or_silent_definition_on_a_sample(linux_612: Path, tmp_path: Path):
    assert shutil.which(ctags_oracle.CTAGS), 'universal-ctags is needed (apt-get install universal-ctags)'
    rels = sample(linux_612)
    assert len(rels) > 600
    tags = ctags_oracle.oracle_tags({r: linux_612 / r for r in rels}, tmp_path / 'twins')
    knowledge = knowledge_for(str(linux_612))
    total = ctags_oracle.Verdict()
    for rel in rels:
        data = (linux_612 / rel).read_bytes()
        scanned = ScannedFile(HelperFile(rel, str(linux_612 / rel)), b'', scan_bytes(data, knowledge))
        report = {'helpers': [helper_row(scanned, h) for h in scanned.scan.helpers],
                  'problems': problem_rows(scanned)}
        total.add(ctags_oracle.compare(rel, data, tags[rel], report, linux_612 / rel))
    assert total.agree > 2500 and total.agree_static > 8000
    assert (total.false, total.misnamed, total.silent) == ([], [], [])
    assert set(total.oracle_wrong) <= set(ctags_rules.RULES)
