"""review ARCHIVE on real archives of our own sample mails."""
from __future__ import annotations

import email.policy
import subprocess
from pathlib import Path

import pytest

from codemod.cli import main
from codemod.plumbing import git as plumbing_git
from tests.archives import helper_file
from tests.archives import KINDS
from tests.archives import mail
from tests.archives import Maildir
from tests.archives import new_file_diff
from tests.archives import patch_mail
from tests.archives import PublicInbox

REVIEWER = 'Rev Iewer <rev@example.org>'

MISSING = patch_mail('missing@example.org', '[PATCH] rust: zap: add helpers',
                     new_file_diff('rust/helpers/zap.c', helper_file('zap', 'zap_reset')))
INCLUDE_ZIP = ('diff --git a/rust/helpers/helpers.c b/rust/helpers/helpers.c\nindex 1111111..2222222 100644\n'
               '--- a/rust/helpers/helpers.c\n+++ b/rust/helpers/helpers.c\n@@ -40,0 +41 @@\n+#include "zip.c"\n')
CLEAN = patch_mail('clean@example.org', '[PATCH] rust: zip: add helpers',
                   INCLUDE_ZIP + new_file_diff('rust/helpers/zip.c', helper_file('zip', annotated=True)))
ELSEWHERE = patch_mail('elsewhere@example.org', '[PATCH] rust: kernel: add zap',
                       new_file_diff('rust/kernel/zap.rs', '// SPDX-License-Identifier: GPL-2.0\n'))
TALK = mail('talk@example.org', 'Re: rust/helpers/ and LTO', 'Has anyone measured rust/helpers/ calls?\n',
            refs=('earlier@example.org',))


def review(capsys, archive: Path, *extra: str) -> tuple[int, str, str]:
    rc = main(['review', str(archive), *extra])
    out, err = capsys.readouterr()
    return rc, out, err


def errors(out: str) -> list[str]:
    return [line for line in out.splitlines() if ': error: ' in line]


@pytest.fixture(params=list(KINDS))
def archive(request, tmp_path):
    return KINDS[request.param](tmp_path)


def test_review_reports_the_patches_missing_annotations(archive, capsys, tmp_path):
    archive.deliver(TALK, CLEAN, MISSING, ELSEWHERE)
    rc, out, err = review(capsys, archive.path, '--reply', str(tmp_path / 'r'), '--from', REVIEWER)
    assert rc == 1
    assert errors(out) == [
        'rust/helpers/zap.c:5:1: error: rust_helper_zap is missing __rust_helper '
        '(patch "rust: zap: add helpers") [missing-annotation]',
        'rust/helpers/zap.c:10:1: error: rust_helper_zap_reset is missing __rust_helper '
        '(patch "rust: zap: add helpers") [missing-annotation]',
    ]
    assert err.splitlines()[-1] == ('4 new messages, 2 patches reviewed: 2 helpers missing __rust_helper, '
                                    '1 warning in 2 patches')
    assert 'zip.c' not in out   # the clean patch
    [draft] = (tmp_path / 'r').iterdir()
    reply = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)
    assert reply['In-Reply-To'] == '<missing@example.org>'
    assert reply['Subject'] == 'Re: [PATCH] rust: zap: add helpers'


def test_review_finds_encoded_patches(archive, capsys):
    qp = patch_mail('qp@example.org', '[PATCH] rust: zap: add helpers',
                    new_file_diff('rust/helpers/zap.c', helper_file('zap') + '/* a = b, naïve */\n'),
                    cte='quoted-printable')
    b64 = patch_mail('b64@example.org', '[PATCH] rust: zop: add helpers',
                     new_file_diff('rust/helpers/zop.c', helper_file('zop')), cte='base64')
    assert b'=3D' in qp and b'rust/helpers' not in b64
    archive.deliver(qp, b64)
    rc, out, _ = review(capsys, archive.path)
    assert rc == 1
    assert [line.split(': error: ')[1] for line in errors(out)] == [
        'rust_helper_zap is missing __rust_helper (patch "rust: zap: add helpers") [missing-annotation]',
        'rust_helper_zop is missing __rust_helper (patch "rust: zop: add helpers") [missing-annotation]',
    ]


def series(version: int, tag: str, fixed: bool) -> list[bytes]:
    """A cover and two patches, threaded under it as git send-email does."""
    v = f' v{version}' if version > 1 else ''
    cover = f'cover.v{version}.{tag}@example.org'
    mails = [mail(cover, f'[PATCH{v} 0/2] rust: zap helpers', 'Two zap helpers.\n')]
    for n, name in ((1, 'zap'), (2, 'zap_reset')):
        annotated = fixed and n == 2
        mails.append(patch_mail(f'{n}.v{version}.{tag}@example.org', f'[PATCH{v} {n}/2] rust: zap: add {name}',
                                new_file_diff(f'rust/helpers/{name}.c', helper_file(name, annotated=annotated)),
                                refs=(cover,)))
    return mails


def test_review_takes_the_newest_version_of_a_series(archive, capsys):
    archive.deliver(*series(1, 'a', fixed=False), *series(2, 'a', fixed=True))
    rc, out, err = review(capsys, archive.path)
    assert rc == 1
    assert [line.split(' (patch ')[1] for line in errors(out)] == ['"rust: zap: add zap") [missing-annotation]']
    assert 'note: skipped "rust: zap: add zap" and the rest of its v1: v2 of the series is in the archive' in err
    assert err.splitlines()[-1].startswith('6 new messages, 2 patches reviewed')


def test_review_skips_what_a_reply_already_answered(archive, capsys):
    answer = mail('answer@example.org', 'Re: [PATCH] rust: zap: add helpers',
                  '> +void rust_helper_zap(struct zap *z)\n\nThis one needs __rust_helper.\n',
                  refs=('missing@example.org',))
    # Quoting an annotated line is not an answer.
    quote = mail('quote@example.org', 'Re: [PATCH] rust: zip: add helpers',
                 '> +__rust_helper void rust_helper_zip(struct zap *z)\n\nLooks good.\n',
                 refs=('zap2@example.org',))
    zap2 = patch_mail('zap2@example.org', '[PATCH] rust: zap2: add helpers',
                      new_file_diff('rust/helpers/zap2.c', helper_file('zap2')))
    archive.deliver(MISSING, answer, zap2, quote)
    rc, out, err = review(capsys, archive.path)
    assert rc == 1
    assert [line.split(': error: ')[1].split(' is ')[0] for line in errors(out)] == ['rust_helper_zap2']
    assert 'note: skipped "rust: zap: add helpers": a reply already names __rust_helper' in err


def test_review_is_incremental(archive, capsys, tmp_path, monkeypatch):
    state = tmp_path / 'state.json'
    drafts = tmp_path / 'drafts'
    archive.deliver(TALK, MISSING)
    rc, out, _ = review(capsys, archive.path, '--state', str(state), '--reply', str(drafts), '--from', REVIEWER)
    assert rc == 1 and len(errors(out)) == 2
    saved = state.read_bytes()
    mtime = state.stat().st_mtime_ns
    if isinstance(archive, Maildir):
        archive.read_all()   # a mail reader renames what it read: still not new
    # Nothing new: nothing printed, nothing written.
    assert review(capsys, archive.path, '--state', str(state), '--reply', str(drafts),
                  '--from', REVIEWER) == (0, '', '')
    assert state.read_bytes() == saved and state.stat().st_mtime_ns == mtime
    assert len(list(drafts.iterdir())) == 1
    # Two new deliveries: only they are reviewed.
    zap2 = patch_mail('zap2@example.org', '[PATCH] rust: zap2: add helpers',
                      new_file_diff('rust/helpers/zap2.c', helper_file('zap2')))
    archive.deliver(CLEAN, zap2)
    rc, out, err = review(capsys, archive.path, '--state', str(state))
    assert rc == 1
    assert [line.split(' (patch ')[1] for line in errors(out)] == ['"rust: zap2: add helpers") [missing-annotation]']
    assert err.splitlines()[-1].startswith('2 new messages, 2 patches reviewed')
    assert state.read_bytes() != saved


def test_public_inbox_walk_reads_only_new_commits(tmp_path, capsys, monkeypatch):
    inbox = PublicInbox(tmp_path)
    inbox.deliver(TALK, MISSING, CLEAN)
    state = tmp_path / 'state.json'
    review(capsys, inbox.path, '--state', str(state))
    inbox.deliver(ELSEWHERE)
    asked = []
    real = plumbing_git.cat_file_batch

    def spy(path, names):
        asked.extend(names)
        return real(path, names)
    monkeypatch.setattr(plumbing_git, 'cat_file_batch', spy)
    rc, out, err = review(capsys, inbox.path, '--state', str(state))
    assert (rc, out) == (0, '')
    head = subprocess.run(['git', 'rev-parse', 'HEAD'], cwd=inbox.path / 'git' / '0.git', capture_output=True,
                          text=True, check=True).stdout.strip()
    assert asked == [f'{head}:m']
    assert err == '1 new message, no patch to review\n'


def test_a_corrupt_message_never_stops_the_walk(archive, capsys):
    broken = patch_mail('broken@example.org', '[PATCH] rust: zap: broken',
                        new_file_diff('rust/helpers/zap.c', helper_file('zap')).replace('+1,8 @@', '+1,30 @@'))
    archive.deliver(broken, b'\x00\xff not a mail at all \xfe\n', MISSING)
    rc, out, err = review(capsys, archive.path)
    assert rc == 1
    assert len(errors(out)) == 2   # the patch after them was reviewed
    notes = [line for line in err.splitlines() if ': note: ' in line and 'not a valid unified diff' in line]
    assert len(notes) == 1 and notes[0].endswith(', skipped')


def test_since_leaves_out_older_patches(archive, capsys):
    old = patch_mail('old@example.org', '[PATCH] rust: old: add helpers',
                     new_file_diff('rust/helpers/old.c', helper_file('old')), date='Mon, 6 Jan 2025 10:00:00 +0000')
    archive.deliver(old, MISSING)
    rc, out, _ = review(capsys, archive.path, '--since', '2025-02-01')
    assert rc == 1
    assert {line.split(' (patch ')[1] for line in errors(out)} == {'"rust: zap: add helpers") [missing-annotation]'}


@pytest.mark.parametrize(('make', 'message'), [
    pytest.param(lambda p: p, 'no such archive', id='missing'),
    pytest.param(lambda p: (p.mkdir(), p)[1], 'not an archive', id='empty-folder'),
])
def test_bad_archive(tmp_path, capsys, make, message):
    path = make(tmp_path / 'nothing')
    rc, out, err = review(capsys, path)
    assert (rc, out) == (2, '')
    assert err.startswith(f'{path}: error: {message}') and len(err.splitlines()) == 1


def test_state_of_another_archive(tmp_path, capsys):
    one, two = KINDS['mbox'](tmp_path), Maildir(tmp_path)
    one.deliver(MISSING)
    state = tmp_path / 'state.json'
    review(capsys, one.path, '--state', str(state))
    rc, _, err = review(capsys, two.path, '--state', str(state))
    assert rc == 2
    assert err == f'{state}: error: is the state of another archive: {one.path.resolve()}\n'


def test_a_reply_to_the_cover_answers_the_whole_series(archive, capsys):
    posting = series(1, 'c', fixed=False)
    answer = mail('to-cover@example.org', 'Re: [PATCH 0/2] rust: zap helpers',
                  'Both helpers need __rust_helper, see the other series.\n', refs=('cover.v1.c@example.org',))
    archive.deliver(*posting, answer)
    rc, out, err = review(capsys, archive.path)
    assert (rc, errors(out)) == (0, [])
    assert err.count('a reply already names __rust_helper') == 2


def _epoch(inbox: PublicInbox) -> Path:
    return inbox.path / 'git' / '0.git'


def test_a_commit_without_a_message_is_noted(tmp_path, capsys):
    inbox = PublicInbox(tmp_path)
    inbox.deliver(MISSING)
    repo = _epoch(inbox)
    # What a removal leaves: a commit whose tree has no `m` (public-inbox writes `d`).
    stream = (b'commit refs/heads/master\ncommitter T <t@example.org> 1741000000 +0000\ndata 2\nd\n'
              b'from refs/heads/master^0\nD m\nM 100644 inline d\ndata 2\nx\n\n')
    subprocess.run(['git', 'fast-import', '--quiet'], cwd=repo, input=stream, check=True)
    rc, out, err = review(capsys, inbox.path)
    assert rc == 1 and len(errors(out)) == 2
    head = subprocess.run(['git', 'rev-parse', 'HEAD'], cwd=repo, capture_output=True, text=True).stdout
    assert f'inbox/git/0.git@{head[:12]}: note: no message there (a removal?), skipped' in err


def test_a_rewritten_epoch_is_walked_again(tmp_path, capsys):
    inbox = PublicInbox(tmp_path)
    inbox.deliver(TALK, MISSING)
    state = tmp_path / 'state.json'
    review(capsys, inbox.path, '--state', str(state))
    repo = _epoch(inbox)
    # A purge rewrites history: the commit the state names is gone.
    subprocess.run(['git', 'update-ref', 'refs/heads/master', 'HEAD~1'], cwd=repo, check=True)
    subprocess.run(['git', 'reflog', 'expire', '--expire=now', '--all'], cwd=repo, check=True)
    subprocess.run(['git', 'gc', '-q', '--prune=now'], cwd=repo, check=True)
    inbox.deliver(MISSING.replace(b'missing@example.org', b'again@example.org'))
    rc, out, err = review(capsys, inbox.path, '--state', str(state))
    assert rc == 1 and len(errors(out)) == 2
    assert 'is gone (history rewritten, e.g. by a purge): walking the epoch again' in err


def test_an_epoch_that_is_not_a_repository(tmp_path, capsys):
    epoch = tmp_path / 'inbox' / 'git' / '0.git'
    epoch.mkdir(parents=True)
    (epoch / 'HEAD').write_text('junk\n')
    rc, out, err = review(capsys, tmp_path / 'inbox')
    assert (rc, out) == (2, '')
    assert err.startswith(f'{tmp_path / "inbox"}: error: cannot read the inbox: ') and len(err.splitlines()) == 1


def test_an_epoch_without_commits_yet(tmp_path, capsys):
    subprocess.run(['git', 'init', '-q', '--bare', str(tmp_path / 'inbox' / 'git' / '0.git')], check=True)
    assert review(capsys, tmp_path / 'inbox') == (0, '', '')


def test_a_patch_delivered_twice_is_reviewed_once(tmp_path, capsys):
    box = Maildir(tmp_path)
    box.deliver(MISSING, MISSING)
    rc, out, err = review(capsys, box.path)
    assert rc == 1 and len(errors(out)) == 2
    assert 'note: a copy of <missing@example.org>, skipped' in err
