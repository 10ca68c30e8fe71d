"""Mails byte for byte as `git format-patch` writes them: patches and cover.

Ports the parts of git's pretty.c, log-tree.c and builtin/log.c that shape a
mail: subject prefix and wrapping, RFC 2047/822 header encoding, the 8-bit
MIME headers, the body clean-up, the `---` commentary block, the shortlog of
the cover letter and the signature.
"""
from __future__ import annotations

import unicodedata
from email.utils import parseaddr
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime

from codemod.mail.diff import combine
from codemod.mail.diff import file_diff
from codemod.mail.diff import FileChange
from codemod.mail.diff import NULL_OID
from codemod.mail.diff import sorted_changes
from codemod.mail.diffstat import diffstat
from codemod.mail.ident import Ident

DEFAULT_SIGNATURE = '2.39.5'  # `git --version` style; pass git.version() to match the local git
_SPACE = ' \t\n\r'  # git's isspace()


@dataclass(frozen=True)
class Mail:
    """How a message is sent: its place in the series and its headers."""

    number: int = 1
    total: int = 1
    version: int | None = None
    prefix: str = 'PATCH'  # e.g. 'RFC PATCH'
    numbered: bool | None = None  # None: numbered when total > 1
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    message_id: str | None = None  # without <>
    references: tuple[str, ...] = ()  # oldest first; the last is In-Reply-To
    signature: str | None = DEFAULT_SIGNATURE
    abbrev: int = 7  # git uses 12 in a kernel-sized repository


@dataclass(frozen=True)
class Patch:
    """One commit: `message` is the full commit message as git stores it."""

    author: Ident
    date: datetime  # timezone-aware; shown in its own zone
    message: str
    changes: Sequence[FileChange]
    commit: str = NULL_OID
    sender: Ident | None = None  # like --from: differs from author -> in-body From
    commentary: str = ''  # after '---', before the diffstat (see git_notes)

    @property
    def subject(self) -> str:
        return format_subject(self.message)[0]


@dataclass(frozen=True)
class Cover:
    """The cover letter's own text; its From: is git's committer ident."""

    sender: Ident
    date: datetime
    title: str = '*** SUBJECT HERE ***'
    body: str = '*** BLURB HERE ***'
    commit: str = NULL_OID  # format-patch puts the series' last commit here


# --- text helpers ported from git ---------------------------------------------

def _rstrip(line: str) -> str:
    return line.rstrip(_SPACE)


def format_subject(message: str) -> tuple[str, str]:
    """(subject, rest): the first paragraph joined by spaces, like %s."""
    lines = message.split('\n')
    i = 0
    while i < len(lines) and not _rstrip(lines[i]):
        i += 1
    title = []
    while i < len(lines) and _rstrip(lines[i]):
        title.append(_rstrip(lines[i]))
        i += 1
    return ' '.join(title), '\n'.join(lines[i + 1:])


def _remainder(text: str) -> str:
    """pp_remainder: lines right-trimmed, leading blank lines dropped."""
    lines = text.split('\n')
    if lines[-1] == '':
        lines.pop()  # a final '\n' ends the last line, it does not start one
    out: list[str] = []
    for line in lines:
        line = _rstrip(line)
        if line or out:
            out.append(line + '\n')
    return ''.join(out)


def _width(ch: str) -> int:
    """Display columns, near git_wcwidth (whose tables follow its Unicode version)."""
    if ch == '\0':
        return 0
    if ord(ch) < 32 or 0x7f <= ord(ch) < 0xa0:
        return -1
    if unicodedata.combining(ch) or unicodedata.category(ch) in ('Mn', 'Me', 'Cf'):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ('W', 'F') else 1


def wrap_text(text: str, indent1: int, indent2: int, width: int) -> str:
    """strbuf_add_wrapped_text: indent1 < 0 means -indent1 columns are used."""
    out: list[str] = []
    n = len(text)
    pos = bol = 0
    w = indent = indent1
    space: int | None = None
    if indent < 0:
        w, space = -indent, 0
    while True:
        c = text[pos] if pos < n else ''
        if c and c not in _SPACE:
            w += _width(c)
            pos += 1
            continue
        new_line = False
        if w <= width or space is None:
            if not c and pos == bol:
                return ''.join(out)
            if space is not None:
                start = space
            else:
                start = bol
                out.append(' ' * indent)
            out.append(text[start:pos])
            if not c:
                return ''.join(out)
            space = pos
            if c == '\t':
                w |= 7
            elif c == '\n':
                space += 1
                nxt = text[space] if space < n else ''
                if nxt == '\n':
                    out.append('\n')
                    new_line = True
                elif not (nxt.isascii() and nxt.isalnum()):
                    new_line = True
                else:
                    out.append(' ')
            if not new_line:
                w += 1
                pos += 1
                continue
        out.append('\n')
        pos = bol = space + (1 if space < n and text[space] in _SPACE else 0)
        space = None
        w = indent = indent2


def _last_line_length(buf: str) -> int:
    return len(buf) - (buf.rfind('\n') + 1)


def _needs_rfc2047(text: str) -> bool:
    return not text.isascii() or '\n' in text or '=?' in text


def _rfc2047(text: str, line_len: int, address: bool) -> str:
    """Q-encode `text` as git's add_rfc2047, folding before 76 columns."""
    out = ['=?UTF-8?q?']
    line_len += 10
    for ch in text:
        data = ch.encode('utf-8', 'surrogateescape')
        byte = data[0]
        special = len(data) > 1 or not (0x20 <= byte <= 0x7e) or ch in ' =?_' or (
            address and not (ch.isascii() and ch.isalnum()) and ch not in '!*+-/')
        encoded = ''.join('=%02X' % b for b in data) if special else ch
        if line_len + len(encoded) + 2 > 76:
            out.append('?=\n =?UTF-8?q?')
            line_len = 11
        out.append(encoded)
        line_len += len(encoded)
    out.append('?=')
    return ''.join(out)


_RFC822_SPECIALS = set('()<>[]:;@,."\\')


def _mailbox(lead: str, ident: Ident) -> str:
    """`lead` and `Name <addr>` as git's pp_user_info writes a From: line
    (without its newline): the name RFC 2047-encoded or quoted as needed,
    the address on a line of its own if it would not fit."""
    buf = lead
    max_length = 78
    if _needs_rfc2047(ident.name):
        buf += _rfc2047(ident.name, len(buf), address=True)
        max_length = 76
    elif any(c in _RFC822_SPECIALS for c in ident.name):
        quoted = '"' + ident.name.replace('\\', '\\\\').replace('"', '\\"') + '"'
        buf += wrap_text(quoted, -len(lead), 1, max_length)
    else:
        buf += wrap_text(ident.name, -len(lead), 1, max_length)
    if max_length < _last_line_length(buf) + len(ident.email) + 3:
        buf += '\n'
    return buf + f' <{ident.email}>'


def _from_header(ident: Ident) -> str:
    return _mailbox('From: ', ident) + '\n'


def recipient_header_entry(lead: str, recipient: str) -> str:
    """One To/Cc entry after `lead`. git format-patch writes --to/--cc as
    given, 8-bit names included, which mail servers may reject and git
    send-email re-encodes: a name that is not ASCII is RFC 2047-encoded
    here, exactly as git encodes one in From:. Other entries stay as given."""
    if recipient.isascii() and '=?' not in recipient:
        return lead + recipient
    name, address = parseaddr(recipient)
    if not name or '@' not in address or not address.isascii():
        return lead + recipient
    return _mailbox(lead, Ident(name, address))


_DAYS = ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')
_MONTHS = ('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec')


def rfc2822_date(when: datetime) -> str:
    """`Thu, 7 Apr 2005 15:13:13 -0700`, in the zone `when` carries."""
    offset = when.utcoffset()
    if offset is None:
        raise ValueError('a mail date needs a time zone')
    minutes = int(offset.total_seconds()) // 60
    sign, minutes = ('-', -minutes) if minutes < 0 else ('+', minutes)
    zone = f'{sign}{minutes // 60:02d}{minutes % 60:02d}'
    return (f'{_DAYS[when.weekday()]}, {when.day} {_MONTHS[when.month - 1]} {when.year} '
            f'{when.hour:02d}:{when.minute:02d}:{when.second:02d} {zone}')


def subject_prefix(mail: Mail) -> str:
    """`[PATCH v2 03/10] `: git zero-pads the number to the total's width."""
    prefix = mail.prefix + (f' v{mail.version}' if mail.version is not None else '')
    numbered = mail.total > 1 if mail.numbered is None else mail.numbered
    if numbered:
        digits = len(str(mail.total))
        return f'[{prefix}{" " if prefix else ""}{mail.number:0{digits}d}/{mail.total}] '
    return f'[{prefix}] ' if prefix else ''


def _headers(mail: Mail, commit: str, sender: Ident, date: datetime, title: str,
             need_8bit: bool) -> tuple[str, str]:
    """(envelope lines before the pretty-printed part, that part's headers)."""
    env = f'From {commit} Mon Sep 17 00:00:00 2001\n'
    if mail.message_id:
        env += f'Message-Id: <{mail.message_id}>\n'
    if mail.references:
        env += f'In-Reply-To: <{mail.references[-1]}>\n'
        env += ''.join(('References: ' if i == 0 else '\t') + f'<{ref}>\n'
                       for i, ref in enumerate(mail.references))
    buf = _from_header(sender) + f'Date: {rfc2822_date(date)}\n'
    buf += 'Subject: ' + subject_prefix(mail)
    if _needs_rfc2047(title):
        buf += _rfc2047(title, _last_line_length(buf), address=False)
    else:
        buf += wrap_text(title, -_last_line_length(buf), 1, 78)
    buf += '\n'
    if need_8bit:
        buf += 'MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n'
    for name, addresses in (('To', mail.to), ('Cc', mail.cc)):
        for i, address in enumerate(addresses):
            buf += recipient_header_entry(f'{name}: ' if i == 0 else '    ', address)
            buf += ',\n' if i + 1 < len(addresses) else '\n'
    return env, buf + '\n'


def _signature(mail: Mail, tail: str) -> str:
    """The optional tail (where `--base` puts `base-commit: ...`), then the
    signature."""
    out = '\n' + tail + ('' if tail.endswith('\n') else '\n') if tail else ''
    if mail.signature:
        out += '-- \n' + mail.signature + ('' if mail.signature.endswith('\n') else '\n') + '\n'
    return out


def git_notes(text: str) -> str:
    """A commentary block exactly as `format-patch --notes` shows a note."""
    lines = text.rstrip('\n').split('\n')
    return '\nNotes:\n' + ''.join(f'    {line}\n' for line in lines)


def _encode(text: str) -> bytes:
    return text.encode('utf-8', 'surrogateescape')


def format_mbox(patch: Patch, mail: Mail = Mail(), tail: str = '') -> bytes:
    """One message of `git format-patch --stdout`; `tail` goes after the
    diff as `--base` info does (e.g. 'base-commit: <sha>\\n')."""
    changes = sorted_changes(list(patch.changes))
    diff = b''.join(file_diff(change, abbrev=mail.abbrev) for change in changes)
    return format_mbox_rendered(patch, diffstat(changes), diff, mail, tail)


def format_mbox_rendered(patch: Patch, stat: str, diff: bytes, mail: Mail = Mail(),
                         tail: str = '') -> bytes:
    """format_mbox() with the diff already rendered: `stat` is the
    `--stat --summary` block, `diff` the per-file diffs (`patch.changes` is
    not used). For diffs taken from elsewhere, e.g. an incoming patch."""
    title, rest = format_subject(patch.message)
    sender = patch.sender or patch.author
    in_body = ''
    if sender != patch.author:
        in_body = f'From: {patch.author.name} <{patch.author.email}>\n'
    # git looks at the message only: with 8-bit notes it declares no charset,
    # and git send-email stops to ask for one. Our commentary counts too.
    need_8bit = not patch.message.isascii() or not in_body.isascii() or not patch.commentary.isascii()
    env, buf = _headers(mail, patch.commit, sender, patch.date, title, need_8bit)
    if in_body:
        buf += in_body + '\n'
    beginning_of_body = len(_encode(buf))
    buf += _remainder(rest)
    buf = buf.rstrip(_SPACE) + '\n'
    if len(_encode(buf)) <= beginning_of_body:
        buf += '\n'  # keep the blank line between headers and body
    if patch.commentary:
        buf += '---\n' + patch.commentary + ('' if patch.commentary.endswith('\n') else '\n')
    else:
        buf += '---'
    buf += '\n'
    return b''.join([_encode(env + buf), _encode(stat), b'\n', diff, _encode(_signature(mail, tail))])


def join_stdout(messages: list[bytes], cover: bool = False) -> bytes:
    """The messages as one `format-patch --stdout` stream: git puts a blank
    line between patches, but none after the cover letter (`cover`: the first)."""
    if cover and messages:
        return messages[0] + b'\n'.join(messages[1:])
    return b'\n'.join(messages)


def shortlog(patches: list[Patch]) -> str:
    """The cover letter's shortlog: authors in byte order, subjects wrapped."""
    by_author: dict[str, list[str]] = {}
    for patch in patches:
        subject = format_subject(patch.message)[0].lstrip(_SPACE) or '<none>'
        if subject.startswith('[PATCH') and ']' in subject:
            subject = subject[subject.index(']') + 1:]
        subject = subject.lstrip(' \t\r')
        by_author.setdefault(patch.author.name, []).append(subject)
    out = []
    for name in sorted(by_author):
        out.append(f'{name} ({len(by_author[name])}):\n')
        out.extend(wrap_text(subject, 2, 4, 72) + '\n' for subject in by_author[name])
        out.append('\n')
    return ''.join(out)


def combine_changes(patches: list[Patch]) -> list[FileChange]:
    """The whole series as one change per file (base tree to last tree)."""
    return combine([c for patch in patches for c in patch.changes])


def format_cover(cover: Cover, patches: list[Patch], mail: Mail = Mail(),
                 changes: list[FileChange] | None = None, tail: str = '',
                 stat: str | None = None) -> bytes:
    """The `--cover-letter` message (number 0 of `mail.total`). `changes`:
    base to tip, by default combined from the patches; `tail` goes after the
    diffstat as `--base` info does; `stat`: the diffstat already rendered
    (then `changes` and the patches' changes are not used for it)."""
    mail = replace(mail, number=0, numbered=True)
    # git marks the cover 8-bit when any commit object (idents included) is.
    need_8bit = not all(p.message.isascii() and p.author.name.isascii() and p.author.email.isascii()
                        for p in patches) or not (cover.sender.name + cover.sender.email).isascii()
    title = format_subject(cover.title)[0]
    env, buf = _headers(mail, cover.commit, cover.sender, cover.date, title, need_8bit)
    buf += _remainder(cover.body) + '\n' + shortlog(patches)
    if stat is None:
        stat = diffstat(combine_changes(patches) if changes is None else changes)
    return _encode(env + buf + stat + '\n' + _signature(mail, tail))
