"""codemod.mail.mbox against `git format-patch`, byte for byte, and `git am -3`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from pathlib import Path

import pytest

from codemod.mail.diff import FileChange
from codemod.mail.diff import render
from codemod.mail.mbox import combine_changes
from codemod.mail.mbox import Cover
from codemod.mail.mbox import format_cover
from codemod.mail.mbox import format_mbox
from codemod.mail.mbox import git_notes
from codemod.mail.mbox import Ident
from codemod.mail.mbox import join_stdout
from codemod.mail.mbox import Mail
from codemod.mail.mbox import Patch
from codemod.mail.mbox import rfc2822_date
from codemod.mail.mbox import subject_prefix
from codemod.mail.mbox import wrap_text
from tests.test_patch import AUTHOR
from tests.test_patch import changes_between
from tests.test_patch import DATE
from tests.test_patch import Files
from tests.test_patch import HELPERS_C
from tests.test_patch import many_helpers
from tests.test_patch import Repo
from tests.test_patch import sub


def parse_date(spec: str) -> datetime:
    """git's raw `<seconds> <+hhmm>` as an aware datetime."""
    seconds, zone = spec.split()
    offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
    return datetime.fromtimestamp(int(seconds), timezone(-offset if zone[0] == '-' else offset))


@dataclass
class Step:
    message: str
    files: Files
    author: tuple[str, str] = AUTHOR
    date: str = DATE


BASE: Files = {'rust/helpers/mutex.c': HELPERS_C, 'rust/helpers/refcount.c': many_helpers(12)}


def build(repo: Repo, steps: list[Step]) -> list[Patch]:
    """Commit BASE then each step; the Patch we would write for each."""
    repo.set_tree(BASE)
    repo.commit('base\n')
    patches, before = [], BASE
    for step in steps:
        repo.set_tree(step.files)
        sha = repo.commit(step.message, step.author, step.date)
        patches.append(Patch(Ident(*step.author), parse_date(step.date), step.message,
                             changes_between(before, step.files), commit=sha))
        before = step.files
    return patches


def base_to_tip(patches: list[Patch]) -> list[FileChange]:
    """The cover letter's changes, rendered (a file changed twice needs its own diff)."""
    return render(combine_changes(patches))


def _with(files: Files, path: str, data: bytes | tuple[bytes, str]) -> Files:
    return {**files, path: data}


MUTEX, REFCOUNT, EXTRA = 'rust/helpers/mutex.c', 'rust/helpers/refcount.c', 'rust/helpers/extra.c'



def series_steps() -> list[Step]:
    steps, files = [], dict(BASE)
    subjects = [
        ('rust: helpers: add __rust_helper to mutex helpers\n\n'
         'Mark the helpers so that LLVM can inline them into Rust code.\n\n'
         'Signed-off-by: A U Thor <author@example.com>\n', AUTHOR),
        ('rust: helpers: annotate the refcount helpers one, with a subject long enough to wrap twice '
         'in the mail header\n', ('Alice B. Carter', 'alice@example.com')),
        ('rust: helpers: r\u00e9sum\u00e9 of the \u00fcber helper\n\nBody with na\u00efve text.\n',
         ('Bj\u00f6rn Roy Baron', 'bjorn@example.com')),
        ('rust: helpers: subject only\n', AUTHOR),
        ('\n\nrust: helpers: messy\n  message   \n\n\n  body line   \n\n\n', AUTHOR),
        ('rust: helpers: a subject that is just long enough to be wrapped in the shortlog\n', AUTHOR),
        ('rust: helpers: add new file\n', ('Alice B. Carter', 'alice@example.com')),
        ('rust: helpers: make it executable\n', AUTHOR),
        ('rust: helpers: delete the new file\n', AUTHOR),
        ('rust: helpers: last one\n\nLink: https://example.com/x\n', AUTHOR),
    ]
    edits = [
        lambda f: _with(f, MUTEX, sub(f[MUTEX], b'void rust_helper_frob_grab',
                                      b'__rust_helper void rust_helper_frob_grab')),
        lambda f: _with(f, REFCOUNT, many_helpers(12, {1})),
        lambda f: _with(f, REFCOUNT, many_helpers(12, {1, 7})),
        lambda f: _with(f, REFCOUNT, many_helpers(12, {1, 7, 8})),
        lambda f: _with(f, REFCOUNT, many_helpers(12, {0, 1, 7, 8, 11})),
        lambda f: _with(f, MUTEX, f[MUTEX] + b'\n/* \xc3\xa9 */\n'),
        lambda f: _with(f, EXTRA, b'// SPDX-License-Identifier: GPL-2.0\n'),
        lambda f: _with(f, EXTRA, (b'// SPDX-License-Identifier: GPL-2.0\n', '100755')),
        lambda f: {k: v for k, v in f.items() if k != EXTRA},
        lambda f: _with(f, REFCOUNT, many_helpers(13, {0, 1, 7, 8, 11, 12})),
    ]
    for i, ((message, author), edit) in enumerate(zip(subjects, edits)):
        files = edit(files)
        steps.append(Step(message, files, author, f'{1112911993 + 3600 * i} {"+0530" if i % 2 else "-0700"}'))
    return steps


def test_series_with_cover_letter_matches_format_patch(tmp_path: Path) -> None:
    repo = Repo(tmp_path / 'repo')
    patches = build(repo, series_steps())
    repo.git('config', 'branch.main.description',
             'rust: helpers: annotate with __rust_helper\n\nThis series marks the helpers.\n  Indented.\n')
    out = tmp_path / 'out'
    repo.git('format-patch', '-q', '-v2', '--cover-letter', '--cover-from-description=subject',
             '--to=rust-for-linux@vger.kernel.org', '--to=Miguel Ojeda <ojeda@kernel.org>',
             '--cc=linux-kernel@vger.kernel.org', '-o', str(out), 'HEAD~10')
    files = sorted(out.iterdir())
    assert len(files) == 11
    mail = Mail(total=10, version=2, numbered=True,
                to=('rust-for-linux@vger.kernel.org', 'Miguel Ojeda <ojeda@kernel.org>'),
                cc=('linux-kernel@vger.kernel.org',))
    cover = Cover(Ident(*AUTHOR), parse_date(DATE), 'rust: helpers: annotate with __rust_helper',
                  'This series marks the helpers.\n  Indented.\n', commit=patches[-1].commit)
    assert format_cover(cover, patches, mail, changes=base_to_tip(patches)).decode() == files[0].read_text()
    assert format_cover(cover, patches, mail, changes=base_to_tip(patches)) == files[0].read_bytes()
    for number, (patch, path) in enumerate(zip(patches, files[1:]), start=1):
        ours = format_mbox(patch, replace(mail, number=number))
        assert ours == path.read_bytes(), path.name


def _single(tmp_path: Path, step: Step) -> tuple[Repo, Patch]:
    repo = Repo(tmp_path / 'repo')
    return repo, build(repo, [step])[0]


ANNOTATE = _with(BASE, MUTEX, sub(HELPERS_C, b'void rust_helper_frob_grab',
                                  b'__rust_helper void rust_helper_frob_grab'))


@pytest.mark.parametrize(('args', 'mail', 'author'), [
    pytest.param([], Mail(), AUTHOR, id='plain'),
    pytest.param(['-v3'], Mail(version=3), AUTHOR, id='version'),
    pytest.param(['--rfc', '-n'], Mail(prefix='RFC PATCH', numbered=True), AUTHOR, id='rfc-numbered'),
    pytest.param(['--subject-prefix=PATCH rust-next'], Mail(prefix='PATCH rust-next'), AUTHOR, id='prefix'),
    pytest.param(['--no-signature'], Mail(signature=None), AUTHOR, id='no-signature'),
    pytest.param(['--signature=b4 0.14\n'], Mail(signature='b4 0.14\n'), AUTHOR, id='signature'),
    pytest.param([], Mail(), ('A Very Long Author Name With Many Many Words In It, Indeed It Is Long',
                              'a.very.long.address@subdomain.example.com'), id='folded-from'),
    pytest.param([], Mail(), ('\u738b\u5c0f\u660e \u00c9milie-Fran\u00e7oise de la Cour des Comptes',
                              'w@example.com'), id='rfc2047-folded-from'),
    pytest.param([], Mail(), ('Name "Nick" O\\Brien', 'n@example.com'), id='rfc822-escapes'),
    pytest.param([], Mail(), ('Averyveryverylongname Withmanywords Thatkeepgoing Andgoing Andgoingon Forever',
                              'x@example.com'), id='wrapped-name'),
    pytest.param([], Mail(abbrev=12), AUTHOR, id='abbrev-12'),
])
def test_single_patch_matches_format_patch(tmp_path: Path, args: list[str], mail: Mail,
                                           author: tuple[str, str]) -> None:
    repo, patch = _single(tmp_path, Step('rust: helpers: add __rust_helper\n\nBody.\n', ANNOTATE, author))
    if mail.abbrev != 7:
        args = [*args, f'--abbrev={mail.abbrev}']
    assert format_mbox(patch, mail) == repo.git('format-patch', '-1', '--stdout', *args)


@pytest.mark.parametrize('message', [
    pytest.param('x' * 100 + '\n', id='unbreakable-subject'),
    pytest.param('word ' * 30 + '\n', id='many-words'),
    pytest.param('tab\tseparated\tsubject that goes on and on and on and on and on and on and on\n',
                 id='tabs'),
    pytest.param('a subject with =? in it\n', id='rfc2047-trigger'),
    pytest.param('\u00e9' * 60 + '\n', id='rfc2047-folded-subject'),
    pytest.param('multi\nline\nsubject\n\nbody\n', id='multi-line-subject'),
    pytest.param('subject\n\n\n', id='trailing-blank-lines'),
])
def test_subject_handling_matches_format_patch(tmp_path: Path, message: str) -> None:
    repo, patch = _single(tmp_path, Step(message, ANNOTATE))
    assert format_mbox(patch).decode() == repo.git('format-patch', '-1', '--stdout').decode()


def test_notes_and_sender_and_threading(tmp_path: Path) -> None:
    repo, patch = _single(tmp_path, Step('rust: helpers: x\n\nBody.\n', ANNOTATE,
                                         ('J\u00e9r\u00f4me Author', 'jerome@example.com')))
    repo.git('notes', 'add', '-m', 'v2: rebased\n\n- fixed a typo', 'HEAD')
    theirs = repo.git('format-patch', '-1', '--stdout', '--notes', '--from=Sender Person <s@example.com>',
                      '--thread=shallow', '--in-reply-to=<cover@example.com>')
    message_id = theirs.split(b'Message-Id: <', 1)[1].split(b'>', 1)[0].decode()
    patch = Patch(patch.author, patch.date, patch.message, patch.changes, patch.commit,
                  sender=Ident('Sender Person', 's@example.com'),
                  commentary=git_notes('v2: rebased\n\n- fixed a typo'))
    mail = Mail(message_id=message_id, references=('cover@example.com',))
    assert format_mbox(patch, mail) == theirs


def test_references_chain(tmp_path: Path) -> None:
    repo = Repo(tmp_path / 'repo')
    patches = build(repo, series_steps()[:2])
    theirs = repo.git('format-patch', '--stdout', '--thread=deep', '--in-reply-to=<root@x>', 'HEAD~2')
    ids = [chunk.split(b'>', 1)[0].decode() for chunk in theirs.split(b'Message-Id: <')[1:]]
    ours = [format_mbox(patches[0], Mail(number=1, total=2, message_id=ids[0], references=('root@x',))),
            format_mbox(patches[1], Mail(number=2, total=2, message_id=ids[1], references=('root@x', ids[0])))]
    assert join_stdout(ours) == theirs


def test_default_cover_text(tmp_path: Path) -> None:
    repo = Repo(tmp_path / 'repo')
    patches = build(repo, series_steps()[:3])
    theirs = repo.git('format-patch', '--stdout', '--cover-letter', 'HEAD~3')
    cover = Cover(Ident(*AUTHOR), parse_date(DATE), commit=patches[-1].commit)
    ours = [format_cover(cover, patches, Mail(total=3), changes=base_to_tip(patches))]
    ours += [format_mbox(p, Mail(number=n, total=3)) for n, p in enumerate(patches, start=1)]
    assert join_stdout(ours, cover=True) == theirs


def test_cover_shortlog_wraps_wide_characters(tmp_path: Path) -> None:
    repo = Repo(tmp_path / 'repo')
    step = Step('rust: \u6f22\u5b57\u306e\u8aac\u660e ' * 6 + '\n', ANNOTATE)
    patches = build(repo, [step, Step('second\n', BASE)])
    theirs = repo.git('format-patch', '--stdout', '--cover-letter', 'HEAD~2').split(b'\n-- \n')[0]
    cover = Cover(Ident(*AUTHOR), parse_date(DATE), commit=patches[-1].commit)
    assert format_cover(cover, patches, Mail(total=2), changes=base_to_tip(patches)).split(b'\n-- \n')[0] == theirs


def _annotate_helpers(source: bytes) -> bytes:
    """Mark each helper definition, the way the codemod does (a token
    inserted at the start of a line; a long one re-wrapped onto 3 lines)."""
    out = []
    for line in source.split(b'\n'):
        if re.match(rb'[a-z].*\brust_helper_\w+\(', line) and not line.endswith(b';'):
            if line.endswith(b',') and len(line) > 60:
                cut = line.rindex(b',', 0, len(line) - 1) + 1
                out += [b'__rust_helper ' + line[:cut], b'\t\t\t' + line[cut:].lstrip()]
                continue
            line = b'__rust_helper ' + line
        out.append(line)
    return b'\n'.join(out)


def test_real_kernel_helpers_match_format_patch(tmp_path: Path, linux_612: Path) -> None:
    helpers = sorted((linux_612 / 'rust' / 'helpers').glob('*.c'))
    before: Files = {'.gitattributes': (linux_612 / '.gitattributes').read_bytes()}
    before.update({f'rust/helpers/{p.name}': p.read_bytes() for p in helpers})
    after = {k: _annotate_helpers(v) if k.endswith('.c') else v for k, v in before.items()}
    repo = Repo(tmp_path / 'repo')
    repo.set_tree(before)
    repo.commit('base\n')
    repo.set_tree(after)
    message = 'rust: helpers: add __rust_helper to all helpers\n\nSigned-off-by: A U Thor <author@example.com>\n'
    sha = repo.commit(message)
    changes = changes_between(before, after)
    assert len(changes) > 10
    patch = Patch(Ident(*AUTHOR), parse_date(DATE), message, changes, commit=sha)
    ours = format_mbox(patch, Mail(abbrev=12))
    assert ours == repo.git('format-patch', '-1', '--stdout', '--abbrev=12')
    repo.git('checkout', '-q', '--detach', 'HEAD~1')
    repo.git('am', '-q', '-3', input=ours)
    assert repo.git('rev-parse', 'HEAD^{tree}') == repo.git('rev-parse', f'{sha}^{{tree}}')


def test_tail_goes_where_base_info_goes(tmp_path: Path) -> None:
    repo = Repo(tmp_path / 'repo')
    patches = build(repo, series_steps()[:2])
    base = repo.git('rev-parse', 'HEAD~2').decode().strip()
    tail = f'base-commit: {base}\n'
    theirs = repo.git('format-patch', '--stdout', '--cover-letter', f'--base={base}', 'HEAD~2')
    cover = Cover(Ident(*AUTHOR), parse_date(DATE), commit=patches[-1].commit)
    ours = [format_cover(cover, patches, Mail(total=2), changes=base_to_tip(patches), tail=tail)]
    ours += [format_mbox(p, Mail(number=n, total=2)) for n, p in enumerate(patches, start=1)]
    assert join_stdout(ours, cover=True) == theirs
    single = repo.git('format-patch', '--stdout', '-1', f'--base={patches[0].commit}')
    assert format_mbox(patches[1], tail=f'base-commit: {patches[0].commit}') == single


def test_git_am_applies_our_patch(tmp_path: Path) -> None:
    repo = Repo(tmp_path / 'repo')
    patches = build(repo, series_steps())
    tip_tree = repo.git('rev-parse', 'HEAD^{tree}')
    repo.git('checkout', '-q', '--detach', 'HEAD~10')
    for number, patch in enumerate(patches, start=1):
        repo.git('am', '-q', '-3', input=format_mbox(patch, Mail(number=number, total=10)))
    assert repo.git('rev-parse', 'HEAD^{tree}') == tip_tree
    log = repo.git('log', '--format=%an <%ae>%n%B', '-1').decode()
    assert log.startswith('A U Thor <author@example.com>\nrust: helpers: last one\n')


def test_combine_changes_follows_files_through_the_series() -> None:
    steps = series_steps()
    patches = [Patch(Ident(*s.author), parse_date(s.date), s.message, changes_between(a, s.files))
               for a, s in zip([BASE] + [s.files for s in steps], steps)]
    combined = {c.path: c for c in combine_changes(patches)}
    assert set(combined) == {'rust/helpers/mutex.c', 'rust/helpers/refcount.c'}  # extra.c came and went
    assert combined['rust/helpers/refcount.c'].old == BASE['rust/helpers/refcount.c']


def test_rfc2822_date() -> None:
    assert rfc2822_date(parse_date('1112911993 -0700')) == 'Thu, 7 Apr 2005 15:13:13 -0700'
    assert rfc2822_date(parse_date('0 +0530')) == 'Thu, 1 Jan 1970 05:30:00 +0530'
    with pytest.raises(ValueError):
        rfc2822_date(datetime(2024, 1, 1))


def test_subject_prefix() -> None:
    assert subject_prefix(Mail()) == '[PATCH] '
    assert subject_prefix(Mail(number=3, total=10, version=2)) == '[PATCH v2 03/10] '
    assert subject_prefix(Mail(number=0, total=9, numbered=True)) == '[PATCH 0/9] '
    assert subject_prefix(Mail(prefix='')) == ''


def test_wrap_text_like_git() -> None:
    assert wrap_text('a b c', 2, 4, 72) == '  a b c'
    assert wrap_text('aaa bbb ccc', -5, 1, 10) == 'aaa\n bbb ccc'
