"""--to/--cc/--from: validated like git send-email takes addresses, and
non-ASCII names RFC 2047-encoded in the To/Cc headers exactly as git
format-patch encodes a name in From: (compared with real git)."""
from __future__ import annotations

import email
from datetime import datetime
from datetime import timezone
from email import policy
from email.header import decode_header
from email.header import make_header
from email.utils import getaddresses
from pathlib import Path

import pytest

from codemod.cli import main
from codemod.commands.sending import parse_recipients
from codemod.mail.mbox import format_mbox
from codemod.mail.mbox import Ident
from codemod.mail.mbox import Mail
from codemod.mail.mbox import Patch
from codemod.mail.mbox import recipient_header_entry
from codemod.plumbing.errors import PathError
from tests.test_mbox import _single
from tests.test_mbox import ANNOTATE
from tests.test_mbox import Step
from tests.test_series import _fails_cleanly
from tests.test_series import EXAMPLE
from tests.test_series import FROM
from tests.test_series import series
from tests.test_split import repo  # noqa: F401 (a fixture)
from tests.test_split import run_split


@pytest.mark.parametrize(('value', 'expected'), [
    pytest.param('list@lists.example.org', ('list@lists.example.org',), id='bare'),
    pytest.param('<list@lists.example.org>', ('list@lists.example.org',), id='bracketed'),
    pytest.param('Ann Example <ann@example.org>', ('Ann Example <ann@example.org>',), id='named'),
    pytest.param('"Doe, Jane" <jane@example.org>', ('"Doe, Jane" <jane@example.org>',), id='quoted-comma'),
    pytest.param('Alice B. Carter <a@example.org>', ('"Alice B. Carter" <a@example.org>',), id='dot-quoted-as-git'),
    pytest.param('a@example.org, B <b@example.org>', ('a@example.org', 'B <b@example.org>'), id='list'),
    pytest.param('J\u00fcrgen Gro\u00df <jg@example.org>', ('J\u00fcrgen Gro\u00df <jg@example.org>',),
                 id='non-ascii'),
])
def test_recipients_accepted(value, expected):
    assert parse_recipients([value], '--cc') == expected


@pytest.mark.parametrize('value', [
    pytest.param('bad address', id='no-at'),
    pytest.param('a@localhost', id='no-dot-in-domain'),
    pytest.param('Doe, Jane <jane@example.org>', id='unquoted-comma'),
    pytest.param('Name <a@example.org> junk', id='trailing-junk'),
    pytest.param('"Open <a@example.org>', id='open-quote'),
    pytest.param('a@example.org junk', id='junk-after-bare'),
    pytest.param('', id='empty'),
])
def test_recipients_refused(value):
    with pytest.raises(PathError, match='^--cc: error: not an email address: '):
        parse_recipients([value], '--cc')


@pytest.mark.parametrize('option', ['--to', '--cc'])
def test_series_bad_recipient_is_a_one_line_error(tmp_path, capsys, option):
    out = tmp_path / 'out'
    _fails_cleanly(capsys, out, ['series', '--tree', str(EXAMPLE), '-o', str(out), '--from', FROM,
                                 option, 'bad address'],
                   f"{option}: error: not an email address: 'bad address'")


def test_split_bad_recipient_is_a_one_line_error(repo, tmp_path, capsys):  # noqa: F811
    out = tmp_path / 'out'
    _fails_cleanly(capsys, out, ['split', 'HEAD', '--tree', str(repo.path), '-o', str(out), '--from', FROM,
                                 '--cc', 'ok@example.org', '--cc', 'bad address'],
                   "--cc: error: not an email address: 'bad address'")


# -- non-ASCII names ---------------------------------------------------------------

WHEN = datetime(2026, 11, 22, 10, tzinfo=timezone.utc)
NAMES = [
    pytest.param('J\u00fcrgen Gro\u00df', id='latin'),
    pytest.param('Bj\u00f6rn Roy Baron', id='maintainers-entry'),
    pytest.param('\u738b\u5c0f\u660e \u00c9milie-Fran\u00e7oise de la Cour des Comptes', id='folded'),
]
QUOTED = 'Zo\u00eb "Z" O\'Neil'


def _git_from_line(tmp_path: Path, name: str) -> bytes:
    """The From: header git format-patch writes for an author of that name."""
    repo, _ = _single(tmp_path, Step('rust: x\n\nBody.\n', ANNOTATE, (name, 'person@example.org')))
    data = repo.git('format-patch', '-1', '--stdout')
    return data.split(b'\nDate: ')[0].split(b'\n', 1)[1]


@pytest.mark.parametrize('name', NAMES)
def test_recipient_name_is_encoded_as_git_encodes_from(tmp_path, name):
    theirs = _git_from_line(tmp_path, name)
    for written in (f'{name} <person@example.org>', f'"{name}" <person@example.org>'):
        assert recipient_header_entry('From: ', written).encode() == theirs


def test_quoted_recipient_name_is_encoded_as_git_encodes_from(tmp_path):
    written = '"Zo\u00eb \\"Z\\" O\'Neil" <person@example.org>'   # as get_maintainer.pl quotes it
    assert recipient_header_entry('From: ', written).encode() == _git_from_line(tmp_path, QUOTED)


def _decoded_addresses(value: str) -> list[tuple[str, str]]:
    # make_header joins adjacent encoded words as RFC 2047 says; the email
    # package's address parser would keep the fold's space.
    return getaddresses([str(make_header(decode_header(value)))])


@pytest.mark.parametrize('name', NAMES)
def test_to_and_cc_headers_are_ascii_and_decode_to_the_names(name):
    patch = Patch(Ident('Ann Example', 'ann@example.org'), WHEN, 'rust: x\n\nBody.\n', ())
    person = f'{name} <person@example.org>'
    data = format_mbox(patch, Mail(to=(person, 'list@example.org'), cc=('Cc Person <cc@example.org>', person)))
    headers = data.split(b'\n\n', 1)[0]
    assert headers.isascii()
    parsed = email.message_from_bytes(data)
    assert _decoded_addresses(parsed['To']) == [(name, 'person@example.org'), ('', 'list@example.org')]
    assert _decoded_addresses(parsed['Cc']) == [('Cc Person', 'cc@example.org'), (name, 'person@example.org')]


def test_non_ascii_commentary_declares_its_charset():
    # git format-patch --notes leaves 8-bit notes undeclared (git send-email
    # then stops to ask); our Cc: notes are declared.
    patch = Patch(Ident('Ann Example', 'ann@example.org'), WHEN, 'rust: x\n\nBody.\n', (),
        commentary='Cc: J\u00fcrgen <j@example.org>\n')
    assert b'\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n' in format_mbox(patch)


def test_series_headers_are_ascii_with_non_ascii_people(tmp_path, capsys):
    out = tmp_path / 'out'
    assert series(EXAMPLE, out, '--from', 'Zo\u00eb Example <zoe@example.org>',
                  '--to', 'J\u00fcrgen Gro\u00df <jg@example.org>', '--cc', '"Doe, Jane" <jane@example.org>') == 0
    for path in sorted(out.glob('*.patch')):
        data = path.read_bytes()
        assert data.split(b'\n\n', 1)[0].isascii(), path.name
        parsed = email.message_from_bytes(data, policy=policy.default)
        assert 'J\u00fcrgen Gro\u00df <jg@example.org>' in [str(a) for a in parsed['To'].addresses]
        assert '"Doe, Jane" <jane@example.org>' in [str(a) for a in parsed['Cc'].addresses]
        assert str(parsed['From']) == 'Zo\u00eb Example <zoe@example.org>'


def test_split_headers_are_ascii_with_non_ascii_people(repo, tmp_path):  # noqa: F811
    patches = run_split(repo.path, 'HEAD', tmp_path / 'out', '--cc', 'J\u00fcrgen Gro\u00df <jg@example.org>')
    for path in patches:
        assert path.read_bytes().split(b'\n\n', 1)[0].isascii(), path.name
