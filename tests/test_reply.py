"""check --patch --reply: reply drafts to our own sample patch mails."""
from __future__ import annotations

import email.policy
import mailbox
import subprocess
from pathlib import Path

import pytest

from codemod.cli import main
from tests.gitrepo import git
from tests.test_check_patch import commit
from tests.test_check_patch import NEW_FILE
from tests.test_check_patch import repo  # noqa: F401 (fixture)

REVIEWER = 'Rev Iewer <rev@example.org>'
TO = ('Miguel Ojeda <ojeda@example.org>', 'rust-for-linux@vger.example.org')
CC = ('Ann Other <ann@example.org>', 'ojeda@example.org', 'T <t@example.org>')


def mails(root: Path, n: int = 1, *extra: str) -> bytes:
    """The last n commits as git send-email would send them: threaded, with To and Cc."""
    args = ['format-patch', f'-{n}', '--stdout', '--thread', *extra]
    args += [f'--to={a}' for a in TO] + [f'--cc={a}' for a in CC]
    return subprocess.run(['git', *args], cwd=root, check=True, capture_output=True).stdout


def reencode(data: bytes, cte: str) -> bytes:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    body = msg.get_content()
    del msg['Content-Transfer-Encoding']
    msg.set_content(body, cte=cte)
    return msg.as_bytes()


def run_reply(tmp_path: Path, capsys, data: bytes, tree: Path) -> tuple[int, list[Path], str]:
    src = tmp_path / 'in.mbox'
    src.write_bytes(data)
    out = tmp_path / 'replies'
    rc = main(['check', '--patch', str(src), '--tree', str(tree), '--reply', str(out), '--from', REVIEWER])
    err = capsys.readouterr().err
    return rc, sorted(out.glob('*.mbox')) if out.exists() else [], err


def parse(path: Path) -> email.message.EmailMessage:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert not msg.defects
    return msg


def patch_lines(data: bytes) -> list[str]:
    """The lines of one mail's decoded body, as the reply must quote them."""
    return email.message_from_bytes(data, policy=email.policy.default).get_content().split('\n')


@pytest.fixture
def zap_patch(repo):
    commit(repo, 'rust: zap: add helpers', {'rust/helpers/zap.c': NEW_FILE})
    return repo, mails(repo)


def test_reply_headers_thread_and_answer_the_author(tmp_path, capsys, zap_patch):
    repo, data = zap_patch
    rc, [draft], err = run_reply(tmp_path, capsys, data, repo)
    assert rc == 1
    assert f'{draft}: note: reply draft written (not sent)' in err
    patch = email.message_from_bytes(data, policy=email.policy.default)
    reply = parse(draft)
    assert reply['Subject'] == 'Re: [PATCH] rust: zap: add helpers'
    assert reply['In-Reply-To'] == patch['Message-ID']
    assert reply['References'].split() == [patch['Message-ID']]
    assert reply['To'] == 'T <t@example.org>'
    # The patch's To and Cc, each once: ojeda twice, and T, who is To, dropped.
    assert [a.addr_spec for a in reply['Cc'].addresses] == [
        'ojeda@example.org', 'rust-for-linux@vger.example.org', 'ann@example.org']
    assert reply['From'] == REVIEWER
    assert reply['Message-ID'] not in (None, patch['Message-ID'])
    assert reply['Date'] is not None
    assert reply.get_content_type() == 'text/plain'
    # An mbox: a From_ line first, one message in it.
    assert draft.read_bytes().startswith(b'From rev@example.org ')
    assert len(mailbox.mbox(str(draft))) == 1


def test_reply_message_ids_are_new_each_time(tmp_path, capsys, zap_patch):
    repo, data = zap_patch
    _, [first], _ = run_reply(tmp_path, capsys, data, repo)
    _, drafts, _ = run_reply(tmp_path, capsys, data, repo)
    assert len(drafts) == 2  # a second draft beside the first, which is kept
    assert parse(drafts[0])['Message-ID'] != parse(drafts[1])['Message-ID']


def test_reply_body_comments_under_the_offending_line(tmp_path, capsys, zap_patch):
    repo, data = zap_patch
    _, [draft], _ = run_reply(tmp_path, capsys, data, repo)
    text = parse(draft).get_content()
    lines = text.split('\n')
    assert lines[0] == f'On {email.message_from_bytes(data)["Date"]}, T wrote:'
    at = lines.index('> +void rust_helper_zap(struct zap *z)')
    assert lines[at + 1] == ''
    assert lines[at + 2].startswith('rust_helper_zap is missing __rust_helper.')
    assert '\t__rust_helper void rust_helper_zap(struct zap *z)' in lines[at + 2:]
    # The annotated helper further down is not quoted: the rest is trimmed.
    assert '> +__rust_helper int rust_helper_zap_count(const struct zap *z)' not in lines
    assert lines[-3:] == ['-- ', 'Rev Iewer', '']
    # The warnings are under the file's header, where they apply.
    plus = lines.index('> +++ b/rust/helpers/zap.c')
    assert lines[plus + 1] == '' and lines[plus + 2].startswith('New helper file zap.c is not #included')
    assert any(line.startswith('New helper file is covered only by the catch-all') for line in lines)
    # No top-posting: nothing of ours before the first quoted line but the attribution and a trim.
    first_quote = next(i for i, line in enumerate(lines) if line.startswith('> '))
    assert lines[1:first_quote] == ['[...]']
    # Our prose fits in 72 columns (quoted and code lines are the patch's).
    assert all(len(line) <= 72 for line in lines if not line.startswith(('> ', '\t')))


@pytest.mark.parametrize('cte', [
    pytest.param(None, id='8bit'),
    pytest.param('quoted-printable', id='quoted-printable'),
    pytest.param('base64', id='base64'),
])
def test_quoted_lines_are_the_patch_s_lines(tmp_path, capsys, repo, cte):
    commit(repo, 'rust: zap: add helpers (café)', {'rust/helpers/zap.c': NEW_FILE.replace(
        '#include <linux/zap.h>', '#include <linux/zap.h> /* a = b, naïve */')})
    data = mails(repo)
    if cte:
        data = reencode(data, cte)
        assert f'Content-Transfer-Encoding: {cte}'.encode() in data
    rc, [draft], _ = run_reply(tmp_path, capsys, data, repo)
    assert rc == 1
    patch = patch_lines(data)
    quoted = [line[2:] for line in parse(draft).get_content().split('\n') if line.startswith('> ')]
    assert '+#include <linux/zap.h> /* a = b, naïve */' in quoted
    # Each quoted line is a line of the patch, byte for byte, in the patch's order.
    at = 0
    for line in quoted:
        at = patch.index(line, at) + 1
    assert parse(draft)['Subject'] == 'Re: [PATCH] rust: zap: add helpers (café)'


def test_git_mailinfo_reads_the_reply(tmp_path, capsys, zap_patch):
    repo, data = zap_patch
    _, [draft], _ = run_reply(tmp_path, capsys, data, repo)
    info = subprocess.run(['git', 'mailinfo', str(tmp_path / 'msg'), str(tmp_path / 'patch')],
                          input=draft.read_bytes(), capture_output=True, check=True).stdout.decode()
    assert 'Subject: rust: zap: add helpers\n' in info
    assert 'Author: Rev Iewer\n' in info
    kept = subprocess.run(['git', 'mailinfo', '-k', str(tmp_path / 'msg'), str(tmp_path / 'patch')],
                          input=draft.read_bytes(), capture_output=True, check=True).stdout.decode()
    assert 'Subject: Re: [PATCH] rust: zap: add helpers\n' in kept


def test_git_send_email_accepts_the_reply(tmp_path, capsys, zap_patch):
    repo, data = zap_patch
    _, [draft], _ = run_reply(tmp_path, capsys, data, repo)
    proc = subprocess.run(['git', 'send-email', '--dry-run', '--confirm=never', '--no-format-patch',
                           '--suppress-cc=self', f'--from={REVIEWER}', str(draft)],
                          cwd=tmp_path, capture_output=True, text=True,
                          env={'HOME': str(tmp_path), 'PATH': '/usr/bin:/bin', 'GIT_CONFIG_NOSYSTEM': '1'})
    assert proc.returncode == 0, proc.stderr
    assert 'Result: OK' in proc.stdout
    rcpt = [line.split(':', 1)[1] for line in proc.stdout.splitlines() if line.startswith('RCPT TO:')]
    assert rcpt == ['<t@example.org>', '<ojeda@example.org>', '<rust-for-linux@vger.example.org>',
                    '<ann@example.org>']


def test_one_draft_per_patch_with_findings_none_for_clean(tmp_path, capsys, repo):
    commit(repo, 'rust: zap: add helpers', {'rust/helpers/zap.c': NEW_FILE},
           append={'rust/helpers/helpers.c': '#include "zap.c"\n'})
    commit(repo, 'rust: block: reword a comment', {'rust/helpers/blk.c': (
        repo / 'rust/helpers/blk.c').read_text().replace('\n', '\n// x\n', 1)})
    data = mails(repo, 2, '--cover-letter')
    rc, drafts, _ = run_reply(tmp_path, capsys, data, repo)
    assert rc == 1
    assert [d.name for d in drafts] == ['Re-PATCH-1-2-rust-zap-add-helpers.mbox']
    reply = parse(drafts[0])
    cover = email.message_from_bytes(data.split(b'\nFrom ')[0], policy=email.policy.default)
    # References: the thread so far (the cover), then the patch itself.
    assert reply['References'].split()[0] == cover['Message-ID']
    assert len(reply['References'].split()) == 2


def test_clean_patch_writes_nothing(tmp_path, capsys, repo):
    commit(repo, 'rust: zap: add helpers', {'rust/helpers/zap.c': NEW_FILE.replace(
        'void rust_helper_zap(', '__rust_helper void rust_helper_zap(')},
        append={'rust/helpers/helpers.c': '#include "zap.c"\n'})
    maintainers = (repo / 'MAINTAINERS').read_text().replace(
        'THE REST\n', 'ZAP [RUST]\nM:\tZed Ap <zed@example.org>\nS:\tMaintained\nF:\trust/helpers/zap.c\n\nTHE REST\n')
    commit(repo, 'maintainers', {'MAINTAINERS': maintainers})
    git(repo, 'reset', '-q', '--soft', 'HEAD~2')
    git(repo, 'commit', '-qm', 'rust: zap: add helpers')
    rc, drafts, _ = run_reply(tmp_path, capsys, mails(repo), repo)
    assert (rc, drafts) == (0, [])
    assert not (tmp_path / 'replies').exists()


def test_reply_needs_a_sender(tmp_path, capsys, zap_patch, monkeypatch):
    repo, data = zap_patch
    monkeypatch.setenv('HOME', str(tmp_path))
    monkeypatch.setenv('GIT_CONFIG_GLOBAL', '/dev/null')
    monkeypatch.setenv('GIT_CONFIG_NOSYSTEM', '1')
    src = tmp_path / 'in.mbox'
    src.write_bytes(data)
    assert main(['check', '--patch', str(src), '--tree', str(repo), '--reply', str(tmp_path / 'r')]) == 2
    assert 'error: no author: pass --from' in capsys.readouterr().err
    assert not (tmp_path / 'r').exists()


def test_reply_options_need_patch(tmp_path, capsys):
    assert main(['check', '--reply', str(tmp_path), '--tree', str(tmp_path)]) == 2
    assert '--reply: error: reviews patches: use it with --patch FILE|-' in capsys.readouterr().err


def test_b4_reads_the_reply_as_a_reply(tmp_path, capsys, zap_patch):
    import b4
    repo, data = zap_patch
    _, [draft], _ = run_reply(tmp_path, capsys, data, repo)
    [msg] = b4.mailsplit_bytes(draft.read_bytes())
    subject = b4.LoreSubject(msg['Subject'])
    assert subject.reply and subject.subject == 'rust: zap: add helpers'
    assert b4.LoreMessage(msg).in_reply_to == email.message_from_bytes(data)['Message-ID'].strip('<>')


def test_a_declaration_the_hunk_does_not_show_is_corrected_from_the_file(tmp_path, capsys, repo):
    from tests.test_check_patch import WRAPPED
    commit(repo, 'rust: zap: add zap_many', {'rust/helpers/zap.c': WRAPPED},
           append={'rust/helpers/helpers.c': '#include "zap.c"\n'})
    commit(repo, 'rust: zap: zap_many takes e', {'rust/helpers/zap.c': WRAPPED.replace(
        'int d)\n', 'int d,\n\t\t\t  int e)\n').replace('c, d)', 'c, d, e)')})
    _, drafts, _ = run_reply(tmp_path, capsys, mails(repo, 2), repo)
    second = next(d for d in drafts if 'takes-e' in d.name)
    lines = parse(second).get_content().split('\n')
    at = lines.index('> +\t\t\t  int d,')   # the first line patch 2 adds to the declaration
    assert lines[at + 1] == ''
    assert 'Its declaration starts on line 5, which should read:' in ' '.join(lines[at + 2:at + 6])
    assert '\t__rust_helper void rust_helper_zap_many(struct zap *z,' in lines


def test_reply_is_from_git_s_user_by_default(tmp_path, capsys, zap_patch, monkeypatch):
    repo, data = zap_patch
    config = tmp_path / 'gitconfig'
    config.write_text('[user]\n\tname = Gee Eye\n\temail = gi@example.org\n')
    monkeypatch.setenv('HOME', str(tmp_path))
    monkeypatch.setenv('GIT_CONFIG_GLOBAL', str(config))
    monkeypatch.setenv('GIT_CONFIG_NOSYSTEM', '1')
    src = tmp_path / 'in.mbox'
    src.write_bytes(data)
    assert main(['check', '--patch', str(src), '--tree', str(repo), '--reply', str(tmp_path / 'r')]) == 1
    [draft] = (tmp_path / 'r').iterdir()
    reply = parse(draft)
    assert reply['From'] == 'Gee Eye <gi@example.org>'
    assert reply.get_content().endswith('\n-- \nGee Eye\n')
