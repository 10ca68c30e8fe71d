"""Read patches as people send them: a diff, one mail, or an mbox of many.

Mails are decoded with the standard email package (so quoted-printable and
base64 bodies and RFC 2047 subjects work); diffs are parsed with unidiff.
Pure: bytes in, records out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.errors import HeaderParseError
from email.header import decode_header
from email.header import make_header
from email.parser import BytesParser
from email.utils import getaddresses
from email.utils import parseaddr
from email.utils import parsedate_to_datetime
from typing import NamedTuple

import unidiff

from codemod.mail.ident import Ident
from codemod.plumbing.errors import PathError

# The separator line of an mbox: `From <anything> <asctime date>`.
_MBOX_FROM = re.compile(rb'^From \S+ +\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4}\r?\n', re.M)
_HEADER = re.compile(rb'^[A-Za-z][A-Za-z0-9-]*: ')
_DIFF_START = re.compile(r'^(?:diff --git |--- (?:a/|/dev/null))', re.M)
_PATCH_PREFIX = re.compile(r'^\s*(?:\[[^\]]*\]\s*)+')


class MailHeaders(NamedTuple):
    """What a reply needs of the mail it answers, as the mail gave it."""
    subject: str                  # the whole Subject, [PATCH ...] prefix kept
    message_id: str | None        # without <>
    in_reply_to: str | None       # without <>
    references: tuple[str, ...]   # without <>, oldest first
    sender: str                   # the From header, decoded
    to: tuple[str, ...]           # each address of To, decoded
    cc: tuple[str, ...]
    date: str                     # the Date header as written


@dataclass(frozen=True)
class IncomingPatch:
    subject: str | None           # without the [PATCH ...] prefix
    message: str                  # the commit message body, after the subject
    author: Ident | None
    date: datetime | None
    diff: unidiff.PatchSet
    diff_text: str = ''           # the text unidiff read: Line.diff_line_no indexes it
    headers: MailHeaders | None = None   # None for a plain diff


def split_mbox(data: bytes) -> list[bytes]:
    """The messages of an mbox, each from its `From ` line; else `data` whole."""
    starts = [m.start() for m in _MBOX_FROM.finditer(data)]
    if not starts:
        return [data]
    return [data[a:b] for a, b in zip(starts, starts[1:] + [len(data)])]


def _is_mail(data: bytes) -> bool:
    return bool(_MBOX_FROM.match(data) or _HEADER.match(data))


def _parse_diff(text: str, source: str) -> unidiff.PatchSet:
    try:
        return unidiff.PatchSet(text)
    except unidiff.UnidiffParseError as e:
        raise PathError(source, f'not a valid unified diff: {e}') from None


_MSGID = re.compile(r'<([^<>\s]+)>')
_QP_ESCAPE = re.compile(rb'=(?![0-9A-Fa-f]{2}|\r?$)', re.M)
_NOT_BASE64 = re.compile(rb'[^A-Za-z0-9+/=\s]')


def _already_decoded(raw: bytes, cte: str) -> bool:
    """Whether a body that says quoted-printable or base64 is in fact plain.

    `b4 review` hands its check commands each mail with the body decoded
    and the Content-Transfer-Encoding header kept (LoreMessage.
    get_msg_as_bytes): decoding it again would garble a base64 body and
    join lines ending in `=`. Real encoded text has none of what is tested
    here: bytes a base64 body cannot hold; for quoted-printable, 8-bit
    bytes, lines over 76 columns or a `=` that starts no escape.
    """
    if cte == 'base64':
        return bool(_NOT_BASE64.search(raw))
    if cte == 'quoted-printable':
        return (any(b > 0x7f for b in raw) or bool(_QP_ESCAPE.search(raw))
                or any(len(line.rstrip(b'\r')) > 76 for line in raw.split(b'\n')))
    return False


def _payload(part) -> bytes:
    cte = str(part.get('Content-Transfer-Encoding', '')).strip().lower()
    raw = part.get_payload(decode=False)
    if isinstance(raw, str) and cte in ('base64', 'quoted-printable'):
        # The parser keeps undecoded bytes as surrogates.
        data = raw.encode('utf-8', 'surrogateescape')
        if _already_decoded(data, cte):
            return data
    return part.get_payload(decode=True) or b''


def body_text(msg) -> str:
    part = msg
    if msg.is_multipart():
        part = next((p for p in msg.walk() if p.get_content_type() == 'text/plain'), None)
        if part is None:
            return ''
    payload = _payload(part)
    charset = part.get_content_charset() or 'utf-8'
    try:
        return payload.decode(charset, 'surrogateescape')
    except LookupError:
        return payload.decode('utf-8', 'surrogateescape')


def _ids(value: str) -> tuple[str, ...]:
    return tuple(_MSGID.findall(value))


def _decoded(value: str) -> str:
    """A header value unfolded, RFC 2047 words decoded; raw 8-bit bytes
    read as UTF-8."""
    if not value.isascii():
        value = value.encode('utf-8', 'surrogateescape').decode('utf-8', 'replace')
    value = ' '.join(value.split())
    if '=?' not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except (HeaderParseError, LookupError, ValueError, UnicodeError):
        return value


_SPECIALS = set('()<>[]:;@\\,."')


def _address(name: str, addr: str) -> str:
    name = _decoded(name)
    if not name:
        return addr
    if any(c in _SPECIALS for c in name):
        name = '"' + name.replace('\\', '\\\\').replace('"', '\\"') + '"'
    return f'{name} <{addr}>'


def headers_of(msg) -> MailHeaders:
    """The headers a reply needs, read from the raw header lines: the email
    package's header objects cost about 0.3 ms each, and an archive walk
    reads thousands of mails."""
    raw: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        raw.setdefault(name.lower(), []).append(str(value))

    def one(name: str) -> str:
        return raw.get(name, [''])[0]

    def addresses(name: str) -> tuple[str, ...]:
        return tuple(_address(n, a) for n, a in getaddresses(raw.get(name, [])) if a)

    message_id = _ids(one('message-id'))
    in_reply_to = _ids(one('in-reply-to'))
    senders = addresses('from')
    return MailHeaders(
        subject=_decoded(one('subject')),
        message_id=message_id[0] if message_id else None,
        in_reply_to=in_reply_to[-1] if in_reply_to else None,
        references=_ids(' '.join(raw.get('references', []))),
        sender=senders[0] if senders else _decoded(one('from')),
        to=addresses('to'),
        cc=addresses('cc'),
        date=' '.join(one('date').split()),
    )


def parse_mail(data: bytes, source: str) -> IncomingPatch:
    """One mail (its mbox `From ` line optional); PathError if its diff is bad."""
    if _MBOX_FROM.match(data):
        data = data.split(b'\n', 1)[1]
    # compat32: we read the headers ourselves (headers_of), and its
    # Message decodes bodies as well, without building header objects.
    msg = BytesParser(policy=policy.compat32).parsebytes(data)
    headers = headers_of(msg)
    subject = _PATCH_PREFIX.sub('', headers.subject) or None
    name, email = parseaddr(headers.sender)
    author = Ident(name, email) if email else None
    try:
        date = parsedate_to_datetime(headers.date) if headers.date else None
    except (TypeError, ValueError, IndexError):
        date = None
    body = body_text(msg).replace('\r\n', '\n')
    m = _DIFF_START.search(body)
    head, diff = (body[:m.start()], body[m.start():]) if m else (body, '')
    # The commit message ends at the `---` line; after it come notes and the diffstat.
    message = re.split(r'^---$', head, maxsplit=1, flags=re.M)[0]
    # An in-body From: (sent on someone's behalf) names the real author.
    in_body = re.match(r'\s*From: (.+)\n', message)
    if in_body:
        name, email = parseaddr(in_body.group(1))
        author = Ident(name, email)
        message = message[in_body.end():]
    diff = _strip_signature(diff)
    return IncomingPatch(subject, message.strip('\n') + '\n' if message.strip() else '', author, date,
                         _parse_diff(diff, source), diff, headers)


def _strip_signature(diff: str) -> str:
    # format-patch ends a mail with `-- \n<version>`; unidiff would read it as a removed line.
    m = re.search(r'^-- \n(?:.*\n?){0,3}\Z', diff, re.M)
    return diff[:m.start()] if m else diff


def parse(data: bytes, source: str = '-') -> list[IncomingPatch]:
    """Every patch in `data`: a plain diff, a mail, or an mbox of mails."""
    if not data.strip():
        raise PathError(source, 'empty input: expected a diff, a mail or an mbox')
    if not _is_mail(data):
        text = data.decode('utf-8', 'surrogateescape')
        diff = _parse_diff(text, source)
        if not len(diff):
            raise PathError(source, 'no diff found: expected a diff, a mail or an mbox')
        return [IncomingPatch(None, '', None, None, diff, text)]
    patches = [parse_mail(chunk, source) for chunk in split_mbox(data)]
    if not any(len(p.diff) for p in patches):
        raise PathError(source, 'no diff found in the mail(s)')
    return patches


_C_ESCAPE = re.compile(r'\\(?:([0-7]{3})|(.))')
_C_UNESCAPE = {'a': 7, 'b': 8, 't': 9, 'n': 10, 'v': 11, 'f': 12, 'r': 13}


def unquote(name: str) -> str:
    """A name as git writes it, C-quoted (`"a/\\303\\251.c"`) when it has
    special bytes, back to the plain name; other names are returned as is."""
    if len(name) < 2 or not (name.startswith('"') and name.endswith('"')):
        return name
    raw = bytearray()
    pos = 0
    inner = name[1:-1]
    for m in _C_ESCAPE.finditer(inner):
        raw += inner[pos:m.start()].encode('utf-8', 'surrogateescape')
        octal, char = m.groups()
        raw.append(int(octal, 8) if octal else _C_UNESCAPE.get(char, ord(char[0]) & 0xff))
        pos = m.end()
    raw += inner[pos:].encode('utf-8', 'surrogateescape')
    return raw.decode('utf-8', 'surrogateescape')


def side_path(name: str) -> str:
    """A file name from a diff header, unquoted and without `a/` or `b/`."""
    name = unquote(name)
    return name[2:] if name.startswith(('a/', 'b/')) else name


_strip_prefix = side_path


def path_of(f: unidiff.PatchedFile) -> str:
    """The file's path after the patch (before it, for a deletion)."""
    return _strip_prefix(f.source_file if f.is_removed_file else f.target_file)


def added_lines(f: unidiff.PatchedFile) -> dict[int, str]:
    """Post-image line number -> text of every line the patch adds."""
    return {line.target_line_no: line.value for hunk in f for line in hunk if line.is_added}


def sparse_post_image(f: unidiff.PatchedFile) -> bytes:
    """The post-image as far as the hunks show it, other lines left empty.

    Line numbers are those of the real post-image, so a scan of this text
    reports helpers at their real lines.
    """
    lines: dict[int, str] = {}
    for hunk in f:
        for line in hunk:
            if line.target_line_no is not None and not line.is_removed:
                lines[line.target_line_no] = line.value
    if not lines:
        return b''
    last = max(lines)
    out = [lines.get(n, '\n') for n in range(1, last + 1)]
    return ''.join(v if v.endswith('\n') else v + '\n' for v in out).encode('utf-8', 'surrogateescape')


def post_image(f: unidiff.PatchedFile, old: bytes | None) -> bytes | None:
    """The whole file after the patch, if `old` is exactly its pre-image.

    A new file needs no pre-image. None when the hunks do not apply as
    they are (no fuzz): the caller then falls back to the sparse image.
    """
    if f.is_added_file:
        return sparse_post_image(f)
    if old is None:
        return None
    lines = old.decode('utf-8', 'surrogateescape').splitlines(keepends=True)
    out: list[str] = []
    at = 0   # next old line (0-based) not yet copied
    for hunk in f:
        start = hunk.source_start - 1 if hunk.source_length else hunk.source_start
        if start < at:
            return None
        out += lines[at:start]
        at = start
        for line in hunk:
            if line.is_context or line.is_removed:
                if at >= len(lines) or lines[at].rstrip('\r\n') != line.value.rstrip('\r\n'):
                    return None
                if line.is_context:
                    out.append(lines[at])
                at += 1
            elif line.is_added:
                out.append(line.value)
    out += lines[at:]
    return ''.join(out).encode('utf-8', 'surrogateescape')
