"""check --patch - --format b4, run as b4 0.16 runs a review-perpatch-check-cmd:
through b4's own config loader, check runner and result store."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import b4
import pytest
from b4.review import checks

from codemod.cli import main
from tests.gitrepo import git
from tests.test_check_patch import commit
from tests.test_check_patch import NEW_FILE
from tests.test_check_patch import repo  # noqa: F401 (fixture)
from tests.test_reply import mails
from tests.test_reply import reencode

RUST_HELPERS = Path(sys.executable).parent / 'rust-helpers'
COMMAND = f'{RUST_HELPERS} check --patch - --format b4'


@pytest.fixture
def b4_repo(repo, tmp_path, monkeypatch):
    """The tree, set up as the README says, and b4 reading its config."""
    assert shutil.which(str(RUST_HELPERS)), RUST_HELPERS
    git(repo, 'config', 'b4.review-perpatch-check-cmd', COMMAND)
    monkeypatch.setenv('XDG_DATA_HOME', str(tmp_path / 'data'))
    monkeypatch.chdir(repo)
    b4._setup_main_config(topdir=str(repo))
    return repo


def run_b4_checks(repo: Path, data: bytes) -> dict[str, dict[str, dict[str, str]]]:
    """What b4 records for each patch of `data`: {subject: {tool: result}}.

    As b4's review TUI does it (review_tui/_common.py): split the mbox,
    keep the patches (not the cover), run the per-patch commands in the
    tree's top directory, store the results, read them back."""
    perpatch, _ = checks.load_check_cmds()
    assert perpatch == [COMMAND]
    patches = []
    for msg in b4.mailsplit_bytes(data):
        subject = b4.LoreSubject(msg.get('subject', ''))
        if subject.patch and not subject.reply and not (subject.counter == 0 and subject.expected > 0):
            patches.append((msg.get('message-id', '').strip('<> '), msg))
    results = checks.run_perpatch_checks(patches, perpatch, str(repo))
    conn = checks.get_db()
    for msgid, entries in results.items():
        checks.store_results(conn, msgid, entries)
    stored = checks.get_cached_results(conn, [m for m, _ in patches])
    conn.close()
    return {b4.LoreSubject(msg.get('subject', '')).subject: {r['tool']: r for r in stored.get(m, [])}
            for m, msg in patches}


def test_b4_records_a_result_per_finding(b4_repo):
    commit(b4_repo, 'rust: zap: add helpers', {'rust/helpers/zap.c': NEW_FILE.replace(
        '__rust_helper int rust_helper_zap_count', 'int rust_helper_zap_count')})
    commit(b4_repo, 'rust: block: reword a comment', {'rust/helpers/blk.c': (
        b4_repo / 'rust/helpers/blk.c').read_text().replace('\n', '\n// x\n', 1)})
    recorded = run_b4_checks(b4_repo, mails(b4_repo, 2, '--cover-letter'))
    zap = recorded['rust: zap: add helpers']
    assert {tool: (r['status'], r['summary']) for tool, r in zap.items()} == {
        'rust-helpers/missing-annotation': (
            'fail', 'rust/helpers/zap.c:5: rust_helper_zap is missing __rust_helper'),
        'rust-helpers/missing-annotation#2': (
            'fail', 'rust/helpers/zap.c:10: rust_helper_zap_count is missing __rust_helper'),
        'rust-helpers/helper-not-included': (
            'warn', 'rust/helpers/zap.c:1: new helper file zap.c is not #included from '
            'rust/helpers/helpers.c, so it is never built'),
        'rust-helpers/uncovered-helper-file': (
            'warn', 'rust/helpers/zap.c:1: new helper file is covered only by the catch-all '
            'RUST section of MAINTAINERS'),
    }
    assert zap['rust-helpers/missing-annotation']['details'] == (
        'fix: add __rust_helper before the return type (rust-helpers annotate)')
    assert {tool: (r['status'], r['summary']) for tool, r in recorded['rust: block: reword a comment'].items()} == {
        'rust-helpers': ('pass', 'no helper missing __rust_helper'),
    }


@pytest.mark.parametrize('cte', [
    pytest.param('quoted-printable', id='quoted-printable'),
    pytest.param('base64', id='base64'),
])
def test_b4_hands_over_encoded_mails_decoded(b4_repo, cte):
    """b4 decodes the body but keeps the Content-Transfer-Encoding header."""
    commit(b4_repo, 'rust: zap: add helpers', {'rust/helpers/zap.c': NEW_FILE.replace(
        '#include <linux/zap.h>', '#include <linux/zap.h> /* a = b, naïve */')},
        append={'rust/helpers/helpers.c': '#include "zap.c"\n'})
    data = reencode(mails(b4_repo), cte)
    [zap] = run_b4_checks(b4_repo, data).values()
    assert {tool: r['status'] for tool, r in zap.items()} == {
        'rust-helpers/missing-annotation': 'fail', 'rust-helpers/uncovered-helper-file': 'warn'}
    assert zap['rust-helpers/missing-annotation']['summary'] == (
        'rust/helpers/zap.c:5: rust_helper_zap is missing __rust_helper')


def test_b4_format_is_b4_s_json(repo, tmp_path, capsys):
    """A list of objects of exactly b4's five fields, all strings."""
    commit(repo, 'rust: zap: add helpers', {'rust/helpers/zap.c': NEW_FILE})
    src = tmp_path / 'in.mbox'
    src.write_bytes(mails(repo))
    assert main(['check', '--patch', str(src), '--tree', str(repo), '--format', 'b4']) == 1
    results = json.loads(capsys.readouterr().out)
    assert [r['status'] for r in results] == ['fail', 'warn', 'warn']
    for r in results:
        assert list(r) == ['tool', 'status', 'summary', 'url', 'details']
        assert all(isinstance(v, str) for v in r.values())
