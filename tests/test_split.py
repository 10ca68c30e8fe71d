"""rust-helpers split: one change in, one patch per maintainer group out.

The invariant is checked with git itself: `git am` of the series onto the
parent must give exactly the tree of the original commit.
"""
from __future__ import annotations

import email
import io
import os
import re
import shutil
import sys
from email import policy
from pathlib import Path

import pytest

from codemod.cli import main
from codemod.commands import split as split_command
from codemod.mail import split
from codemod.mail.incoming import parse
from codemod.mail.incoming import unquote
from codemod.mail.mbox import Ident
from codemod.plumbing import git as cgit
from codemod.plumbing.errors import PathError
from tests.gitrepo import isolated_git  # noqa: F401 (a fixture)
from tests.test_patch import git
from tests.test_patch import Repo

REPO_ROOT = Path(__file__).resolve().parent.parent
FROM = 'Sam Sender <sam@example.org>'
DATE = '2026-11-22T10:00:00+00:00'
ORIGINAL_AUTHOR = ('Olga Original', 'olga@example.org')

MAINTAINERS = b"""\
List of maintainers
===================

FROB CORE
M:\tAda Core <ada@example.org>
L:\tfrob-core@lists.example.org
S:\tMaintained
F:\tcore/

GADGET LIBRARY
M:\tGus Gadget <gus@example.org>
L:\tgadgets@lists.example.org
S:\tOdd Fixes
F:\tlib/gadget/

THE REST
L:\teverything@lists.example.org
S:\tBuried alive in reports
F:\t*
F:\t*/

WIDGET DRIVERS
M:\tWim Widget <wim@example.org>
R:\tRita Reviewer <rita@example.org>
L:\twidgets@lists.example.org
S:\tMaintained
F:\tdrivers/widget/
"""


def _c(name: str, lines: int = 12) -> bytes:
    return ''.join(f'int {name}_{i}(void) {{ return {i}; }}\n' for i in range(lines)).encode()


BASE = {
    'MAINTAINERS': MAINTAINERS,
    'README': b'Frob: a made-up project.\n',
    'core/main.c': _c('main'),
    'core/util.c': _c('util'),
    'core/run.sh': b'#!/bin/sh\necho run\n',
    'drivers/widget/widget.c': _c('widget'),
    'drivers/widget/old_name.c': _c('old_name', 20),
    'drivers/widget/legacy.c': _c('legacy'),
    'lib/gadget/gadget.c': b'int gadget(void);\nint gadget_last(void)',  # no newline at the end
}

# Commits before the change: they name the groups. Gadget has none.
HISTORY = [
    ('core: add util\n', {'core/util.c': _c('util') + b'/* util */\n'}),
    ('core: main: tidy up\n', {'core/main.c': _c('main') + b'/* main */\n'}),
    ('core: fix the build\n', {'core/main.c': _c('main')}),
    ('widget: add legacy support\n', {'drivers/widget/legacy.c': _c('legacy') + b'/* old */\n'}),
    ('drivers/widget: fix a typo\n', {'drivers/widget/widget.c': _c('widget') + b'/* typo */\n'}),
    ('widget: drop the typo fix\n', {'drivers/widget/widget.c': _c('widget')}),
    ('treewide: use tabs\n', {'drivers/widget/legacy.c': _c('legacy')}),
]

CHANGE_MESSAGE = """\
treewide: frobnicate everything

Frobnicate every subsystem at once, so that nobody has to do it twice.
This touches three subsystems and the rest of the tree.

Signed-off-by: Olga Original <olga@example.org>
"""


def _change(files: dict) -> dict:
    after = dict(files)
    after['core/main.c'] = _c('main').replace(b'return 3;', b'return 33;')
    after['core/run.sh'] = (files['core/run.sh'], '100755')                         # mode change
    after['drivers/widget/new_name.c'] = _c('old_name', 20).replace(b'return 7;', b'return 77;')
    del after['drivers/widget/old_name.c']                                          # rename with an edit
    del after['drivers/widget/legacy.c']                                            # deletion
    after['drivers/widget/widget.c'] = _c('widget') + b'int widget_extra(void);\n'
    after['lib/gadget/gadget.c'] = b'int gadget(void);\nint gadget_final(void)'     # still no newline
    after['lib/gadget/extra.c'] = b'int gadget_extra(void);\n'                      # new file
    after['README'] = b'Frob: a made-up, frobnicated project.\n'
    return after


pytestmark = pytest.mark.usefixtures('isolated_git')


def set_tree(repo: Repo, files: dict) -> None:
    """Repo.set_tree, and (target, '120000') entries become symbolic links."""
    links = {k: v[0] for k, v in files.items() if isinstance(v, tuple) and v[1] == '120000'}
    repo.set_tree({k: v for k, v in files.items() if k not in links})
    for name, target in links.items():
        (repo.path / name).unlink(missing_ok=True)
        (repo.path / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(os.fsdecode(target), repo.path / name)
    if links:
        repo.git('add', '-A')


def make_repo(path: Path, base: dict, history: list, change: dict, message: str = CHANGE_MESSAGE) -> Repo:
    repo = Repo(path)
    tree = dict(base)
    repo.set_tree(tree)
    repo.commit('Initial import\n')
    for subject, update in history:
        tree.update(update)
        repo.set_tree(tree)
        repo.commit(subject)
    set_tree(repo, change)
    repo.commit(message, ORIGINAL_AUTHOR, '1700000000 +0100')
    return repo


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    tree = dict(BASE)
    for _, update in HISTORY:
        tree.update(update)
    return make_repo(tmp_path / 'repo', BASE, HISTORY, _change(tree))


def run_main(args: list[str], stdin: bytes | None = None) -> int:
    """cli.main, with `stdin` as the process's standard input."""
    old = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin or b''))
    try:
        return main(args)
    finally:
        sys.stdin = old


def run_split(tree: Path, source: str, out: Path, *extra: str, stdin: bytes | None = None) -> list[Path]:
    args = ['split', source, '--tree', str(tree), '-o', str(out), '--from', FROM, '--date', DATE, *extra]
    assert run_main(args, stdin) == 0
    return sorted(out.glob('*.patch'))


def am_tree(repo: Repo, patches: list[Path], where: Path, base: str = 'HEAD^') -> str:
    """The tree after `git am` of the patches onto `base`, in a new work tree."""
    git(repo.path, 'worktree', 'add', '-q', '--detach', str(where), base)
    git(where, 'am', '-q', *map(str, patches))
    return git(where, 'rev-parse', 'HEAD^{tree}').decode().strip()


def head_tree(repo: Repo, rev: str = 'HEAD') -> str:
    return repo.git('rev-parse', f'{rev}^{{tree}}').decode().strip()


def mail(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def addresses(header: str | None) -> list[str]:
    return [a.strip() for a in ' '.join((header or '').split()).split(',') if a.strip()]


def _source(kind: str, repo: Repo, tmp: Path) -> tuple[str, bytes | None, tuple[str, ...]]:
    """(source argument, stdin bytes, extra options) for each way of giving the change."""
    if kind == 'rev':
        return 'HEAD', None, ()
    if kind == 'patch-file':
        f = tmp / 'change.patch'
        f.write_bytes(repo.git('format-patch', '-1', '--stdout', 'HEAD'))
        return str(f), None, ()
    if kind == 'stdin-mbox':
        return '-', repo.git('format-patch', '-1', '--stdout', 'HEAD'), ()
    if kind == 'mbox-with-cover':
        f = tmp / 'series.mbox'
        f.write_bytes(repo.git('format-patch', '-1', '--cover-letter', '--stdout', 'HEAD'))
        return str(f), None, ()
    if kind == 'plain-diff-stdin':
        return '-', repo.git('diff', '-M', 'HEAD^', 'HEAD'), ('--subject', 'treewide: frobnicate everything')
    raise AssertionError(kind)


KINDS = [pytest.param(k, id=k) for k in ('rev', 'patch-file', 'stdin-mbox', 'mbox-with-cover', 'plain-diff-stdin')]


@pytest.mark.parametrize('kind', KINDS)
def test_series_applies_to_exactly_the_original_tree(repo: Repo, tmp_path: Path, kind: str) -> None:
    source, stdin, extra = _source(kind, repo, tmp_path)
    patches = run_split(repo.path, source, tmp_path / 'out', *extra, stdin=stdin)
    assert patches[0].name == '0000-cover-letter.patch'
    assert len(patches) == 1 + 4   # core, gadget, widget, the rest
    assert am_tree(repo, patches[1:], tmp_path / 'applied') == head_tree(repo)


@pytest.mark.parametrize('kind', KINDS)
def test_subjects_prefix_from_history_else_from_the_path(repo: Repo, tmp_path: Path, kind: str) -> None:
    source, stdin, extra = _source(kind, repo, tmp_path)
    patches = run_split(repo.path, source, tmp_path / 'out', *extra, stdin=stdin)
    subjects = [' '.join(mail(p)['Subject'].split()) for p in patches]
    assert subjects == [
        '[PATCH 0/4] treewide: frobnicate everything',
        # README has only the "Initial import" commit: no prefix, so its path.
        '[PATCH 1/4] README: frobnicate everything',
        # core/main.c: "core" and "core: main" once each; the tie goes to the newest, "core".
        '[PATCH 2/4] core: frobnicate everything',
        # gadget has no history of its own: `<dir>: <stem>` of the common directory.
        '[PATCH 3/4] lib: gadget: frobnicate everything',
        # widget: "widget" twice, "drivers/widget" once; "treewide" does not vote.
        '[PATCH 4/4] widget: frobnicate everything',
    ]
    assert [p.name for p in patches[1:]] == [
        '0001-README-frobnicate-everything.patch', '0002-core-frobnicate-everything.patch',
        '0003-lib-gadget-frobnicate-everything.patch', '0004-widget-frobnicate-everything.patch',
    ]


def test_each_patch_is_routed_to_its_section(repo: Repo, tmp_path: Path) -> None:
    patches = run_split(repo.path, 'HEAD', tmp_path / 'out')
    routes = {p.name.split('-')[1]: (addresses(mail(p)['To']), addresses(mail(p)['Cc'])) for p in patches[1:]}
    rest = 'everything@lists.example.org'
    # get_maintainer.pl routes a patch's files in sorted order, and a new or
    # deleted file's `/dev/null` side counts as `dev/null`, which is THE
    # REST's: its list comes first in the patches that create or delete.
    assert routes == {
        'README': ([], [rest]),
        'core': (['Ada Core <ada@example.org>'], ['frob-core@lists.example.org', rest]),
        'lib': (['Gus Gadget <gus@example.org>'], [rest, 'gadgets@lists.example.org']),
        'widget': (['Wim Widget <wim@example.org>', 'Rita Reviewer <rita@example.org>'],
                   [rest, 'widgets@lists.example.org']),
    }
    cover = mail(patches[0])
    assert addresses(cover['To']) == ['Ada Core <ada@example.org>', 'Gus Gadget <gus@example.org>',
                                      'Wim Widget <wim@example.org>', 'Rita Reviewer <rita@example.org>']
    assert set(addresses(cover['Cc'])) == {rest, 'frob-core@lists.example.org', 'gadgets@lists.example.org',
                                           'widgets@lists.example.org'}
    # The recipients are listed under the `---` too, where git am ignores them.
    text = patches[2].read_text()
    assert '---\nCc: Ada Core <ada@example.org>\nCc: frob-core@lists.example.org\nCc: ' + rest in text


def test_files_in_each_patch(repo: Repo, tmp_path: Path) -> None:
    patches = run_split(repo.path, 'HEAD', tmp_path / 'out')
    files = {p.name.split('-')[1]: re.findall(r'^diff --git a/(\S+) b/(\S+)$', p.read_text(), re.M)
             for p in patches[1:]}
    assert files == {
        'README': [('README', 'README')],
        'core': [('core/main.c', 'core/main.c'), ('core/run.sh', 'core/run.sh')],
        'lib': [('lib/gadget/extra.c', 'lib/gadget/extra.c'), ('lib/gadget/gadget.c', 'lib/gadget/gadget.c')],
        'widget': [('drivers/widget/legacy.c', 'drivers/widget/legacy.c'),
                   ('drivers/widget/old_name.c', 'drivers/widget/new_name.c'),
                   ('drivers/widget/widget.c', 'drivers/widget/widget.c')],
    }
    widget = patches[4].read_text()
    assert 'similarity index 95%\nrename from drivers/widget/old_name.c\nrename to drivers/widget/new_name.c\n' \
        in widget
    assert 'deleted file mode 100644' in widget
    assert ' rename drivers/widget/{old_name.c => new_name.c} (95%)\n' in widget
    assert ' delete mode 100644 drivers/widget/legacy.c\n' in widget
    core = patches[2].read_text()
    assert 'diff --git a/core/run.sh b/core/run.sh\nold mode 100644\nnew mode 100755\n' in core
    assert ' mode change 100644 => 100755 core/run.sh\n' in core
    lib = patches[3].read_text()
    assert lib.count('\\ No newline at end of file\n') == 2
    assert ' create mode 100644 lib/gadget/extra.c\n' in lib


def test_per_file_diffs_and_stat_are_gits_own(repo: Repo, tmp_path: Path) -> None:
    """Every file's diff is byte for byte what format-patch wrote for it, and
    the cover's stat is format-patch's stat of the whole commit."""
    original = repo.git('format-patch', '-1', '--stdout', 'HEAD').decode()
    stat = original[original.index('\n---\n') + 5:original.index('\ndiff --git')]
    body = original[original.index('\ndiff --git') + 1:original.rindex('-- \n')]
    git_files = re.split(r'(?m)^(?=diff --git )', body)[1:]
    patches = run_split(repo.path, 'HEAD', tmp_path / 'out')
    ours = []
    for p in patches[1:]:
        text = p.read_text()
        diff = text[text.index('\ndiff --git') + 1:text.rindex('-- \n')]
        ours += re.split(r'(?m)^(?=diff --git )', diff)[1:]
    assert sorted(ours) == sorted(git_files)
    cover = patches[0].read_text()
    assert stat in cover


def test_patch_keeps_author_date_and_body_and_adds_the_senders_signoff(repo: Repo, tmp_path: Path) -> None:
    patches = run_split(repo.path, 'HEAD', tmp_path / 'out')
    text = patches[2].read_text()
    assert 'From: Sam Sender <sam@example.org>\nDate: Tue, 14 Nov 2023 23:13:20 +0100\n' in text
    assert ('\nFrom: Olga Original <olga@example.org>\n\n'
            'Frobnicate every subsystem at once, so that nobody has to do it twice.\n'
            'This touches three subsystems and the rest of the tree.\n\n'
            'Signed-off-by: Olga Original <olga@example.org>\n'
            'Signed-off-by: Sam Sender <sam@example.org>\n---\n') in text
    am_tree(repo, patches[1:], tmp_path / 'applied')
    log = git(tmp_path / 'applied', 'log', '--format=%an <%ae>|%ad|%s', '--date=raw', '-4').decode().splitlines()
    assert set(log) == {f'Olga Original <olga@example.org>|1700000000 +0100|{s}: frobnicate everything'
                        for s in ('README', 'core', 'lib: gadget', 'widget')}


def test_cover_letter_carries_the_original_message(repo: Repo, tmp_path: Path) -> None:
    patches = run_split(repo.path, 'HEAD', tmp_path / 'out')
    cover = patches[0].read_text()
    parent = repo.git('rev-parse', 'HEAD^').decode().strip()
    assert 'Subject: [PATCH 0/4] treewide: frobnicate everything\n' in cover
    assert ('\n\nFrobnicate every subsystem at once, so that nobody has to do it twice.\n'
            'This touches three subsystems and the rest of the tree.\n\n'
            'Signed-off-by: Olga Original <olga@example.org>\n\n'
            'Split by MAINTAINERS: one patch per section') in cover
    assert ('- README (1 file, THE REST)\n- core (2 files, FROB CORE)\n'
            '- lib: gadget (2 files, GADGET LIBRARY)\n- widget (3 files, WIDGET DRIVERS)\n') in cover
    assert 'Olga Original (4):\n  README: frobnicate everything\n' in cover
    assert f'---\nbase-commit: {parent}\nchange-id: 20261122-treewide-frobnicate-everything-' in cover


def test_rev_and_mail_inputs_give_the_same_patches(repo: Repo, tmp_path: Path) -> None:
    from_rev = run_split(repo.path, 'HEAD', tmp_path / 'rev')
    source, _, _ = _source('patch-file', repo, tmp_path)
    from_mail = run_split(repo.path, source, tmp_path / 'mail')
    assert [p.name for p in from_rev] == [p.name for p in from_mail]
    for a, b in zip(from_rev[1:], from_mail[1:]):
        # Only the stand-in commit id differs: it chains from base-commit, which a mail lacks.
        assert a.read_bytes().split(b'\n', 1)[1] == b.read_bytes().split(b'\n', 1)[1]


def test_reroll_and_extra_recipients(repo: Repo, tmp_path: Path) -> None:
    patches = run_split(repo.path, 'HEAD', tmp_path / 'out', '-v', '3', '--to', 'x@example.org',
                        '--cc', 'y@example.org')
    first = mail(patches[1])
    assert first['Subject'].startswith('[PATCH v3 1/4] ')
    assert mail(patches[0])['Subject'].startswith('[PATCH v3 0/4] ')
    assert patches[0].name == 'v3-0000-cover-letter.patch'    # git format-patch -v3's names
    assert all(p.name.startswith('v3-000') for p in patches)
    assert 'x@example.org' in addresses(first['To'])
    assert 'y@example.org' in addresses(first['Cc'])


def test_group_by_file(repo: Repo, tmp_path: Path) -> None:
    patches = run_split(repo.path, 'HEAD', tmp_path / 'out', '--group-by', 'file')
    subjects = [' '.join(mail(p)['Subject'].split()).split('] ', 1)[1] for p in patches[1:]]
    assert len(patches) == 1 + 8
    assert 'core: frobnicate everything' in subjects            # core/main.c's own history
    assert 'gadget: extra: frobnicate everything' in subjects   # a new file: no history
    assert am_tree(repo, patches[1:], tmp_path / 'applied') == head_tree(repo)


def test_manual_groups_name_their_patches(repo: Repo, tmp_path: Path) -> None:
    groups = tmp_path / 'groups.toml'
    groups.write_text('"frob: scripts" = ["core/run.sh", "README"]\n')
    patches = run_split(repo.path, 'HEAD', tmp_path / 'out', '--groups', str(groups))
    subjects = [' '.join(mail(p)['Subject'].split()).split('] ', 1)[1] for p in patches[1:]]
    assert subjects == ['core: frobnicate everything', 'frob: scripts: frobnicate everything',
                        'lib: gadget: frobnicate everything', 'widget: frobnicate everything']
    assert am_tree(repo, patches[1:], tmp_path / 'applied') == head_tree(repo)


# --- diffs that must keep files together, and other shapes -------------------------

SMALL_BASE = {'MAINTAINERS': MAINTAINERS, 'core/a.c': _c('a'), 'drivers/widget/w.c': _c('w'),
              'lib/gadget/g.c': _c('g'), 'lib/gadget/nl.c': b'int nl(void)'}


def _scenario(name: str) -> dict:
    after = dict(SMALL_BASE)
    if name == 'content-moved-to-another-section':
        after['drivers/widget/a.c'] = after['core/a.c']
        after['core/a.c'] = b'int a_is_new(void);\n'
        after['lib/gadget/g.c'] = _c('g') + b'/* g */\n'
    elif name == 'pure-rename-across-sections':
        after['lib/gadget/w.c'] = after.pop('drivers/widget/w.c')
        after['core/a.c'] = _c('a') + b'/* a */\n'
    elif name == 'type-change-to-symlink':
        after['core/a.c'] = (b'../lib/gadget/g.c', '120000')
        after['drivers/widget/w.c'] = _c('w') + b'/* w */\n'
    elif name == 'newline-added-at-the-end':
        after['lib/gadget/nl.c'] = b'int nl(void);\n'
        after['core/a.c'] = _c('a') + b'/* a */\n'
    elif name == 'newline-removed-and-file-emptied':
        after['lib/gadget/g.c'] = _c('g').rstrip(b'\n')
        after['core/a.c'] = b''
    else:
        raise AssertionError(name)
    return after


SCENARIOS = ['content-moved-to-another-section', 'pure-rename-across-sections',
             'type-change-to-symlink', 'newline-added-at-the-end', 'newline-removed-and-file-emptied']


@pytest.mark.parametrize('how', [pytest.param('rev', id='rev'), pytest.param('patch-file', id='patch-file')])
@pytest.mark.parametrize('scenario', [pytest.param(s, id=s) for s in SCENARIOS])
def test_shapes_of_change_apply_exactly(tmp_path: Path, scenario: str, how: str) -> None:
    repo = make_repo(tmp_path / 'repo', SMALL_BASE, [], _scenario(scenario),
                     'core: do several things\n\nBody.\n')
    source, _, _ = _source(how, repo, tmp_path)
    patches = run_split(repo.path, source, tmp_path / 'out')
    assert am_tree(repo, patches[1:], tmp_path / 'applied') == head_tree(repo)


def test_copy_and_a_change_to_its_source_share_a_patch(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / 'repo', SMALL_BASE, [], _scenario('content-moved-to-another-section'),
                     'core: move a\n')
    diff = repo.git('diff', '-C', '-C', 'HEAD^', 'HEAD')
    assert b'copy from core/a.c\ncopy to drivers/widget/a.c\n' in diff
    patches = run_split(repo.path, '-', tmp_path / 'out', '--subject', 'core: move a', stdin=diff)
    assert len(patches) == 1 + 2
    core = patches[1].read_text()
    assert 'diff --git a/core/a.c b/core/a.c\n' in core and 'copy to drivers/widget/a.c\n' in core
    git_stat = repo.git('format-patch', '-C', '-C', '-1', '--stdout', 'HEAD', '--', 'core', 'drivers').decode()
    assert ' copy {core => drivers/widget}/a.c (100%)\n' in git_stat
    assert git_stat[git_stat.index('\n---\n') + 5:git_stat.index('\ndiff --git')] in core
    assert am_tree(repo, patches[1:], tmp_path / 'applied') == head_tree(repo)


def test_a_mail_of_the_commit_at_head_does_not_name_its_own_groups(tmp_path: Path) -> None:
    """Splitting a mail of HEAD: HEAD's own subject must not vote for every group."""
    repo = make_repo(tmp_path / 'repo', SMALL_BASE, [('gadget: first\n', {'lib/gadget/g.c': _c('g') + b'//\n'})],
                     _scenario('newline-added-at-the-end'), 'core: do several things\n')
    source, _, _ = _source('patch-file', repo, tmp_path)
    subjects = [mail(p)['Subject'] for p in run_split(repo.path, source, tmp_path / 'mail')]
    assert subjects == [mail(p)['Subject'] for p in run_split(repo.path, 'HEAD', tmp_path / 'rev')]
    assert subjects[1:] == ['[PATCH 1/2] core: a: do several things', '[PATCH 2/2] gadget: do several things']


def test_rename_and_a_new_file_at_its_old_path_share_a_patch(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / 'repo', SMALL_BASE, [], _scenario('content-moved-to-another-section'),
                     'core: move a\n')
    new_a = repo.git('rev-parse', '--short', 'HEAD:core/a.c').decode().strip()
    # What `git diff -B -M` gives for a rewrite that is also renamed away.
    diff = (b'diff --git a/core/a.c b/drivers/widget/a.c\nsimilarity index 100%\n'
            b'rename from core/a.c\nrename to drivers/widget/a.c\n'
            b'diff --git a/core/a.c b/core/a.c\nnew file mode 100644\nindex 0000000..' + new_a.encode() + b'\n'
            b'--- /dev/null\n+++ b/core/a.c\n@@ -0,0 +1 @@\n+int a_is_new(void);\n'
            + repo.git('diff', 'HEAD^', 'HEAD', '--', 'lib/gadget/g.c'))
    patches = run_split(repo.path, '-', tmp_path / 'out', '--subject', 'core: move a', stdin=diff)
    assert len(patches) == 1 + 2
    moved = next(p.read_text() for p in patches[1:] if 'rename from core/a.c' in p.read_text())
    assert '+++ b/core/a.c' in moved
    assert 'Wim Widget' in moved and 'Ada Core' in moved   # routed by both sides of the rename
    assert am_tree(repo, patches[1:], tmp_path / 'applied') == head_tree(repo)


def test_type_change_keeps_both_halves_together(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / 'repo', SMALL_BASE, [], _scenario('type-change-to-symlink'), 'core: link\n')
    patches = run_split(repo.path, 'HEAD', tmp_path / 'out')
    core = next(p.read_text() for p in patches[1:] if 'core/a.c' in p.read_text())
    assert 'deleted file mode 100644' in core and 'new file mode 120000' in core


# --- errors ----------------------------------------------------------------------

def _binary_repo(tmp: Path) -> Repo:
    after = dict(SMALL_BASE)
    after['core/blob.bin'] = b'\0\1\2binary\0'
    after['lib/gadget/g.c'] = _c('g') + b'/* g */\n'
    return make_repo(tmp / 'repo', SMALL_BASE, [], after, 'core: add a blob\n')


def _merge_repo(tmp: Path) -> Repo:
    repo = make_repo(tmp / 'repo', SMALL_BASE, [], {**SMALL_BASE, 'core/a.c': b'int a;\n'}, 'core: a\n')
    repo.git('checkout', '-q', '-b', 'side', 'HEAD^')
    repo.set_tree({**SMALL_BASE, 'lib/gadget/g.c': b'int g;\n'})
    repo.commit('gadget: g\n')
    repo.git('checkout', '-q', 'main')
    repo.git('merge', '-q', '--no-ff', '-m', 'Merge side', 'side')
    return repo


ERRORS = [
    pytest.param(lambda r, t: (_binary_repo(t), 'HEAD', None), 'binary diff for core/blob.bin: split cannot carry it',
                 id='binary-from-rev'),
    pytest.param(lambda r, t: (_binary_repo(t), '-', _binary_repo(t / 'b').git('format-patch', '-1', '--stdout')),
                 'binary diff for core/blob.bin: split cannot carry it', id='binary-from-mbox'),
    pytest.param(lambda r, t: (r, 'no-such-rev', None), 'no such file, and no such commit', id='unknown-rev'),
    pytest.param(lambda r, t: (r, '-', b''), 'empty input', id='empty-stdin'),
    pytest.param(lambda r, t: (r, '-', b'Hello,\nthis is not a patch.\n'), 'no diff found', id='not-a-diff'),
    pytest.param(lambda r, t: (r, '-', b'--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n-a\n'), 'not a valid unified diff',
                 id='truncated-hunk'),
    pytest.param(lambda r, t: (r, '-', r.git('format-patch', '-2', '--stdout')), '2 patches in the input',
                 id='two-patch-mbox'),
    pytest.param(lambda r, t: (_merge_repo(t), 'HEAD', None), 'is a merge commit', id='merge-commit'),
    pytest.param(lambda r, t: (r, '-', r.git('diff', 'HEAD^', 'HEAD')), 'a plain diff has no commit message',
                 id='plain-diff-without-subject'),
    pytest.param(lambda r, t: (r, str(r.path), None), 'not a file', id='directory'),
]


@pytest.mark.parametrize(('make', 'message'), ERRORS)
def test_bad_input_exits_2_and_writes_nothing(repo: Repo, tmp_path: Path, capsys, make, message: str) -> None:
    target, source, stdin = make(repo, tmp_path / 'x')
    out = tmp_path / 'out'
    args = ['split', source, '--tree', str(target.path), '-o', str(out), '--from', FROM, '--date', DATE]
    assert run_main(args, stdin) == 2
    err = capsys.readouterr().err
    assert ': error: ' in err and message in err, err
    assert not out.exists()
    assert not list(tmp_path.glob('.out.*'))


def test_existing_series_is_kept_without_force(repo: Repo, tmp_path: Path, capsys) -> None:
    out = tmp_path / 'out'
    run_split(repo.path, 'HEAD', out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert main(['split', 'HEAD', '--tree', str(repo.path), '-o', str(out), '--from', FROM]) == 2
    assert 'already holds a patch series' in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert main(['split', 'HEAD', '--tree', str(repo.path), '-o', str(out), '--from', FROM, '--date', DATE,
                 '--force']) == 0


def test_groups_file_naming_unchanged_files_serves_many_commits(repo: Repo, tmp_path: Path) -> None:
    """One groups file for many commits: what this change does not touch
    (a file, a folder, a glob) is ignored; folders and globs name the rest."""
    groups = tmp_path / 'groups.toml'
    groups.write_text('"frob: misc" = ["core/util.c", "docs/", "README", "core/*.sh"]\n'
                      '"frob: drivers" = ["drivers/", "lib/**/*.c"]\n')
    patches = run_split(repo.path, 'HEAD', tmp_path / 'out', '--groups', str(groups))
    subjects = [' '.join(mail(p)['Subject'].split()).split('] ', 1)[1] for p in patches[1:]]
    assert subjects == ['core: frobnicate everything', 'frob: drivers: frobnicate everything',
                        'frob: misc: frobnicate everything']
    drivers = patches[2].read_text()
    assert sorted(set(re.findall(r'^diff --git a/(\S+) b/(\S+)', drivers, re.M))) == [
        ('drivers/widget/legacy.c', 'drivers/widget/legacy.c'),
        ('drivers/widget/old_name.c', 'drivers/widget/new_name.c'),
        ('drivers/widget/widget.c', 'drivers/widget/widget.c'),
        ('lib/gadget/extra.c', 'lib/gadget/extra.c'),
        ('lib/gadget/gadget.c', 'lib/gadget/gadget.c'),
    ]
    assert am_tree(repo, patches[1:], tmp_path / 'applied') == head_tree(repo)


def test_plain_diff_outside_git(tmp_path: Path) -> None:
    """No repository: no history, so every prefix comes from the paths."""
    tree = tmp_path / 'tree'
    for name, data in SMALL_BASE.items():
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_bytes(data if isinstance(data, bytes) else data[0])
    diff = (b'diff --git a/core/a.c b/core/a.c\n--- a/core/a.c\n+++ b/core/a.c\n@@ -1 +1,2 @@\n'
            b' int a_0(void) { return 0; }\n+int b;\n'
            b'diff --git a/lib/gadget/g.c b/lib/gadget/g.c\n--- a/lib/gadget/g.c\n+++ b/lib/gadget/g.c\n'
            b'@@ -1 +1 @@\n-int g_0(void) { return 0; }\n+int g_0(void) { return 1; }\n')
    f = tmp_path / 'change.diff'
    f.write_bytes(diff)
    patches = run_split(tree, str(f), tmp_path / 'out', '--subject', 'tidy: two things')
    assert [' '.join(mail(p)['Subject'].split()) for p in patches] == [
        '[PATCH 0/2] tidy: two things', '[PATCH 1/2] core: a: two things', '[PATCH 2/2] gadget: g: two things']
    assert 'From: Sam Sender' in patches[1].read_text() and '\n\nFrom: ' not in patches[1].read_text()


def test_groups_of_one_folder_get_distinct_subjects(tmp_path: Path, capsys) -> None:
    """The example tree's annotate diff: LOCKING and RUST both own files of
    rust/helpers/ only, so both path prefixes are `rust: helpers`."""
    tree = tmp_path / 'tree'
    shutil.copytree(REPO_ROOT / 'examples' / 'linux-mini', tree)
    assert main(['annotate', '--tree', str(tree), '--dry-run']) == 1
    f = tmp_path / 'annotate.diff'
    f.write_text(capsys.readouterr().out)
    patches = run_split(tree, str(f), tmp_path / 'out', '--subject', 'rust: helpers: add __rust_helper')
    subjects = [' '.join(mail(p)['Subject'].split()).split('] ', 1)[1] for p in patches[1:]]
    assert len(set(subjects)) == len(subjects)
    assert 'rust: helpers: mutex, spinlock: add __rust_helper' in subjects
    assert 'rust: helpers: err, sync: add __rust_helper' in subjects


# --- the pure parts ------------------------------------------------------------------

SOB = 'Signed-off-by: Sam Sender <sam@example.org>'


@pytest.mark.parametrize(('body', 'expected'), [
    pytest.param('', SOB + '\n', id='empty'),
    pytest.param('Text.\n', f'Text.\n\n{SOB}\n', id='no-trailers'),
    pytest.param('Text.\n\nSigned-off-by: A <a@x>\n', f'Text.\n\nSigned-off-by: A <a@x>\n{SOB}\n', id='trailers'),
    pytest.param(f'Text.\n\n{SOB}\n', f'Text.\n\n{SOB}\n', id='already-last'),
    pytest.param(f'Text.\n\n{SOB}\nAcked-by: B <b@x>\n', f'Text.\n\n{SOB}\nAcked-by: B <b@x>\n{SOB}\n',
                 id='present-but-not-last'),
    pytest.param('Link: one\n  continued\n', f'Link: one\n  continued\n{SOB}\n', id='continuation'),
])
def test_with_signoff(body: str, expected: str) -> None:
    assert split.with_signoff(body, Ident('Sam Sender', 'sam@example.org')) == expected


def _fd(old: str | None, new: str | None) -> split.FileDiff:
    return split.FileDiff(old, new, '', 0, 0)


def test_linked_files_share_the_first_ones_index() -> None:
    files = [_fd('a', 'b'), _fd('c', 'c'), _fd(None, 'a'), _fd('d', None), _fd(None, 'd'), _fd('e', 'f')]
    assert split.linked(files) == [0, 1, 0, 3, 3, 5]


def _raw(*changes: tuple[str, str, str]) -> list[cgit.RawChange]:
    return [cgit.RawChange(s, old, new, '1' * 40, '2' * 40) for s, old, new in changes]


def test_diff_slices_balance_by_weight_and_keep_renames_together() -> None:
    raw = _raw(('M', 'drivers/gpu/a.c', 'drivers/gpu/a.c'), ('M', 'drivers/gpu/b.c', 'drivers/gpu/b.c'),
               ('M', 'drivers/net/c.c', 'drivers/net/c.c'), ('M', 'mm/d.c', 'mm/d.c'),
               ('R', 'fs/old.c', 'kernel/new.c'), ('M', 'Makefile', 'Makefile'))
    slices = split_command.diff_slices(raw, [50, 50, 40, 30, 20, 10], 2)
    assert len(slices) == 2
    flat = [s for specs in slices for s in specs]
    assert len(flat) == len(set(flat))
    # Every changed path falls under exactly one pathspec.
    for c in raw:
        for p in (c.old_path, c.new_path):
            assert sum(p == s or p.startswith(s + '/') for s in flat) == 1, p
    together = [specs for specs in slices if any(s in ('fs', 'fs/old.c') for s in specs)][0]
    assert any(s in ('kernel', 'kernel/new.c') for s in together)
    weights = dict(zip((c.new_path for c in raw), [50, 50, 40, 30, 20, 10]))
    loads = [sum(w for p, w in weights.items() if any(p == s or p.startswith(s + '/') for s in specs))
             for specs in slices]
    assert sorted(loads) == [100, 100]


def test_unquote_c_style_names() -> None:
    assert unquote('"a/\\303\\251t\\\\\\t\\"x.c"') == 'a/\u00e9t\\\t"x.c'
    assert unquote('a/plain.c') == 'a/plain.c'


def test_quoted_names_are_routed_by_their_real_path(tmp_path: Path) -> None:
    change = dict(SMALL_BASE)
    change['core/\u00e9t\u00e9.c'] = b'int summer;\n'
    repo = make_repo(tmp_path / 'repo', SMALL_BASE, [], change, 'core: add summer\n')
    patches = run_split(repo.path, 'HEAD', tmp_path / 'out')
    assert len(patches) == 2
    assert 'Ada Core' in mail(patches[1])['To']
    assert am_tree(repo, patches[1:], tmp_path / 'applied') == head_tree(repo)


def test_log_paths_stops_git_when_closed(repo: Repo) -> None:
    walk = cgit.log_paths(repo.path, 'HEAD')
    subject, paths = next(walk)
    assert subject == 'treewide: frobnicate everything' and 'README' in paths
    walk.close()
    only = list(cgit.log_paths(repo.path, 'HEAD^', ['core/util.c']))
    assert only == [('core: add util', ['core/util.c']), ('Initial import', ['core/util.c'])]
    with pytest.raises(cgit.GitError):
        list(cgit.log_paths(repo.path, 'no-such-rev'))


def test_incoming_binary_is_a_path_error() -> None:
    data = (b'diff --git a/x.bin b/x.bin\nindex 1111111..2222222 100644\n'
            b'Binary files a/x.bin and b/x.bin differ\n')
    with pytest.raises(PathError, match='binary diff for x.bin'):
        split.file_diffs(parse(data, 'in.diff')[0].diff, 'in.diff')


def test_root_commit_splits_without_base(tmp_path: Path) -> None:
    repo = Repo(tmp_path / 'repo')
    repo.set_tree(SMALL_BASE)
    repo.commit('Initial import\n')
    patches = run_split(repo.path, 'HEAD', tmp_path / 'out')
    assert len(patches) == 1 + 4   # core, gadget, widget, the rest (MAINTAINERS)
    assert 'base-commit:' not in patches[0].read_text()
    assert all(' create mode 100644 ' in p.read_text() for p in patches[1:])


def test_sender_defaults_to_git_config(repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / 'out'
    assert run_main(['split', 'HEAD', '--tree', str(repo.path), '-o', str(out), '--date', DATE]) == 0
    text = sorted(out.glob('*.patch'))[1].read_text()
    assert text.startswith('From ') and '\nFrom: A U Thor <author@example.com>\n' in text
    assert 'Signed-off-by: A U Thor <author@example.com>\n---\n' in text
