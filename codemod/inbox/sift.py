"""Sort an archive's raw messages into what a review needs. Pure.

A list archive is almost all discussion, so each message is first looked
at as bytes: only one that names `rust/helpers/` or `__rust_helper` (in
its body decoded, when quoted-printable or base64) is parsed in full.
Cover letters (`[PATCH ... 0/N]`) are kept too, by their headers alone,
to group and version the series their patches belong to.
"""
from __future__ import annotations

import binascii
import re
from typing import NamedTuple
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from codemod.mail.incoming import IncomingPatch

HELPERS = b'rust/helpers/'
ANNOTATION = b'__rust_helper'
_ENCODED = re.compile(rb'(?im)^content-transfer-encoding:[ \t]*(base64|quoted-printable)')
_COVER_SUBJECT = re.compile(rb'(?im)^subject:[ \t]*\[[^\]]*?\b0+/\d+\]')
_PREFIX = re.compile(r'^\s*\[([^\]]*)\]')
_VERSION = re.compile(r'(?i)\bv(\d+)\b')
_COUNTER = re.compile(r'\b(\d+)/(\d+)\b')


class Cover(NamedTuple):
    message_id: str
    title: str           # the subject without its [PATCH ...] prefix
    author: str          # the sender's address, lower case
    version: int


class Patch(NamedTuple):
    where: str
    patch: 'IncomingPatch'
    root: str | None     # the thread's first message: the cover, if any
    version: int
    counter: int


class Reply(NamedTuple):
    where: str
    answers: str         # the Message-ID it replies to


class Note(NamedTuple):
    text: str            # one line: `where: note: ...`


Item = Cover | Patch | Reply | Note | None


def prefix_numbers(subject: str) -> tuple[int, int]:
    """(version, counter) from `[PATCH v2 3/5]`: 1 and 0 when not given."""
    m = _PREFIX.match(subject)
    if not m:
        return 1, 0
    version = _VERSION.search(m.group(1))
    counter = _COUNTER.search(m.group(1))
    return (int(version.group(1)) if version else 1), (int(counter.group(1)) if counter else 0)


def _split(data: bytes) -> tuple[bytes, int]:
    """The headers, and where the body starts. (find, not a regex, and no
    copy of the body: this runs on every message of the archive.)"""
    start = data.find(b'\n') + 1 if data.startswith(b'From ') else 0
    end = data.find(b'\n\n', start)
    if end < 0 or b'\r' in data[start:end]:
        m = re.compile(rb'\r?\n\r?\n').search(data, start)
        return (data[start:m.start()], m.end()) if m else (data[start:], len(data))
    return data[start:end], end + 2


def _may_be_encoded(head: bytes) -> bool:
    return b'uoted-' in head or b'ase64' in head or b'UOTED-' in head or b'ASE64' in head


def _mentions(data: bytes, head: bytes, body: int) -> bool:
    if data.find(HELPERS, body) >= 0 or data.find(ANNOTATION, body) >= 0:
        return True
    if not _may_be_encoded(head):
        return b'ultipart/' in head or b'ULTIPART/' in head   # the parts say how they are encoded
    encoding = _ENCODED.search(head)
    if encoding is None:
        return False
    try:
        if encoding.group(1).lower() == b'base64':
            decoded = binascii.a2b_base64(data[body:])
        else:
            decoded = binascii.a2b_qp(data[body:])
    except (binascii.Error, ValueError):
        return True   # let the full parse report it
    return HELPERS in decoded or ANNOTATION in decoded


def _cover(head: bytes) -> Cover | None:
    from email import policy
    from email.parser import BytesHeaderParser
    from email.utils import parseaddr

    from codemod.mail.incoming import headers_of
    h = headers_of(BytesHeaderParser(policy=policy.compat32).parsebytes(head))
    if not h.message_id:
        return None
    version, _ = prefix_numbers(h.subject)
    title = _PREFIX.sub('', re.sub(r'(?i)^re:\s*', '', h.subject)).strip()
    return Cover(h.message_id, title, parseaddr(h.sender)[1].lower(), version)


def _says_annotation(data: bytes) -> str | None:
    """The Message-ID a reply answers if its own words (not what it quotes)
    name __rust_helper."""
    from email import policy
    from email.parser import BytesParser

    from codemod.mail.incoming import body_text
    from codemod.mail.incoming import headers_of
    if data.startswith(b'From '):
        data = data.split(b'\n', 1)[-1]
    msg = BytesParser(policy=policy.compat32).parsebytes(data)
    h = headers_of(msg)
    if not h.in_reply_to:
        return None
    own = [line for line in body_text(msg).splitlines() if not line.lstrip().startswith('>')]
    return h.in_reply_to if any('__rust_helper' in line for line in own) else None


def _touches_helpers(patch: IncomingPatch) -> bool:
    from codemod.mail.incoming import path_of
    from codemod.mail.incoming import side_path
    return any(path_of(f).startswith('rust/helpers/') or side_path(f.source_file).startswith('rust/helpers/')
               for f in patch.diff)


def sift(where: str, data: bytes | None) -> Item:
    """What one raw message is to the review, or None for the rest."""
    if data is None:
        return Note(f'{where}: note: no message there (a removal?), skipped')
    head, body = _split(data)
    if not _mentions(data, head, body):
        return _cover(head) if b'0/' in head and _COVER_SUBJECT.search(head) else None
    from codemod.mail.incoming import parse_mail
    from codemod.plumbing.errors import PathError
    try:
        patch = parse_mail(data, where)
        if len(patch.diff) and _touches_helpers(patch):
            if patch.headers is None or not patch.headers.message_id:
                return Note(f'{where}: note: a patch without a Message-ID, skipped')
            h = patch.headers
            version, counter = prefix_numbers(h.subject)
            root = h.references[0] if h.references else h.in_reply_to
            return Patch(where, patch, root, version, counter)
        if not len(patch.diff) and _COVER_SUBJECT.search(head):
            return _cover(head)
        answers = _says_annotation(data) if ANNOTATION in data or _may_be_encoded(head) else None
        return Reply(where, answers) if answers else None
    except PathError as e:
        return Note(f'{where}: note: {e.message}, skipped')
    except Exception as e:  # noqa: BLE001 - one bad message never stops the walk
        return Note(f'{where}: note: cannot read the message ({type(e).__name__}: {e}), skipped')
