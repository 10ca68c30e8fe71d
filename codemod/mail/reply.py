"""A reply draft to a patch mail, as a kernel reviewer writes one. Pure.

The reply quotes only what matters, bottom-posted: the header of each file
with findings and, of each hunk, a few lines up to the offending line,
each line `> ` + the patch's line byte for byte. The comment goes right
under the offending line, blank lines around it, with the corrected line
for a missing annotation; trimmed parts are marked `[...]`. Our own prose
is wrapped at 72 columns. Headers thread the draft under the patch as
mail clients do (In-Reply-To, References extended) and answer its author,
copying everyone the patch was sent to.
"""
from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import datetime
from datetime import timezone
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from email.utils import getaddresses
from typing import NamedTuple

import unidiff

from codemod.lint.findings import Finding
from codemod.lint.findings import without_subject
from codemod.lint.rules import missing_annotation
from codemod.mail.ident import Ident
from codemod.mail.incoming import IncomingPatch
from codemod.mail.incoming import path_of

WIDTH = 72
CONTEXT = 3          # lines quoted above an offending line, within its hunk
TRIM = '[...]'
ANNOTATION = '__rust_helper '
_POLICY = policy.default.clone(linesep='\n', max_line_length=78)
_MBOX_ESCAPE = re.compile(r'^(>*From )', re.M)


class Draft(NamedTuple):
    name: str        # a file name for it: re-<subject>.mbox
    data: bytes      # one mbox message


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, break_long_words=False, break_on_hyphens=False, expand_tabs=False)


def _line_index(f: unidiff.PatchedFile, line: int) -> tuple[int, str | None]:
    """The diff text index (0-based) of post-image line `line` in `f`, and
    that line's text; else the first line the patch adds after it (text
    None: the declaration's first line is not in the hunks)."""
    later = None
    for hunk in f:
        for ln in hunk:
            if ln.target_line_no == line and not ln.is_removed:
                return ln.diff_line_no - 1, ln.value
            if later is None and ln.is_added and ln.target_line_no > line:
                later = ln.diff_line_no - 1
    if later is None:
        raise LookupError(line)
    return later, None


def corrected_line(text: str, col: int) -> str:
    """`text` with __rust_helper inserted at byte column `col` (1-based)."""
    raw = text.rstrip('\r\n').encode('utf-8', 'surrogateescape')
    return (raw[:col - 1] + ANNOTATION.encode() + raw[col - 1:]).decode('utf-8', 'surrogateescape')


def _sentence(text: str) -> str:
    """A message as a sentence; one that starts with a name keeps its case."""
    text = text.strip()
    if not re.match(r'\w*_', text):
        text = text[:1].upper() + text[1:]
    return text + ('' if text.endswith('.') else '.')


def _comment(finding: Finding, line_text: str | None, quoted: bool) -> list[str]:
    """Our prose for one finding, wrapped, and the corrected line when known.
    `quoted`: the offending line is the one quoted right above."""
    message = without_subject(finding.message)
    if finding.rule == missing_annotation.ID and finding.fix == missing_annotation.FIX:
        what = f'{finding.name} is missing __rust_helper' if finding.name else message
        why = 'Without it every call from Rust is a real call; with it LLVM can inline the helper under LTO.'
        if line_text is None:
            return _wrap(f'{_sentence(what)} {why} Please add __rust_helper before the return type '
                         f'(line {finding.line} of {finding.path}).')
        fixed = corrected_line(line_text, finding.col)
        where = 'This line' if quoted else f'Its declaration starts on line {finding.line}, which'
        return _wrap(f'{_sentence(what)} {why} {where} should read:') + ['', '\t' + fixed.strip()]
    return _wrap(f'{_sentence(message)} Please {finding.fix}.' if finding.fix else _sentence(message))


_EXTENDED_HEADER = ('index ', 'new file mode ', 'deleted file mode ', 'old mode ', 'new mode ',
                    'similarity index ', 'dissimilarity index ', 'rename from ', 'rename to ',
                    'copy from ', 'copy to ')


def _file_header_index(lines: Sequence[str], f: unidiff.PatchedFile) -> tuple[int, int]:
    """The first and last diff text index of `f`'s header: from `diff --git`
    (or `---` in a plain diff) to `+++`."""
    end = f[0][0].diff_line_no - 3    # the +++ line, above the first @@
    start = end - 1 if end > 0 and lines[end - 1].startswith('--- ') else end
    j = start - 1
    while j >= 0 and lines[j].startswith(_EXTENDED_HEADER):
        j -= 1
    if j >= 0 and lines[j].startswith('diff --git '):
        start = j
    return start, end


class _Quote(NamedTuple):
    lines: set[int]                       # diff text indexes to quote
    comments: dict[int, list[list[str]]]  # index -> comments under it


def _image_line(images: Mapping[str, bytes], path: str, line: int) -> str | None:
    image = images.get(path)
    if not image:
        return None
    lines = image.split(b'\n')
    text = lines[line - 1] if 0 < line <= len(lines) else b''
    return text.decode('utf-8', 'surrogateescape') if text.strip() else None


def _plan(patch: IncomingPatch, findings: Sequence[Finding], lines: Sequence[str],
          images: Mapping[str, bytes]) -> _Quote:
    quote = _Quote(set(), {})
    for finding in findings:
        f = next((f for f in patch.diff if path_of(f) == finding.path), None)
        if f is None or not len(f) or not len(f[0]):
            continue
        head_start, head_end = _file_header_index(lines, f)
        quote.lines.update(range(head_start, head_end + 1))
        at, text, quoted = head_end, None, False
        if finding.rule == missing_annotation.ID:
            try:
                at, text = _line_index(f, finding.line)
                quoted = text is not None
            except LookupError:
                pass
            if text is None:   # its first line is not in the hunks: the file after the patch has it
                text = _image_line(images, finding.path, finding.line)
        if at != head_end:
            hunk = next(h for h in f if h[0].diff_line_no - 1 <= at <= h[-1].diff_line_no - 1)
            first = hunk[0].diff_line_no - 1
            quote.lines.add(first - 1)   # the @@ line
            quote.lines.update(range(max(first, at - CONTEXT), at + 1))
        quote.comments.setdefault(at, []).append(_comment(finding, text, quoted))
    return quote


def _author(sender: str) -> str:
    pairs = getaddresses([sender])
    name, email = pairs[0] if pairs else ('', '')
    return name or email or 'you'


def body(patch: IncomingPatch, findings: Sequence[Finding], signature: str,
         images: Mapping[str, bytes] | None = None) -> str:
    """The text of the reply: attribution, trimmed quote with comments,
    signature. `images`: the helper files after the patch, for an offending
    line the hunks do not show."""
    assert patch.headers is not None
    lines = patch.diff_text.split('\n')   # as unidiff counts them
    quote = _plan(patch, findings, lines, images or {})
    when = patch.headers.date or 'an earlier date'
    out = _wrap(f'On {when}, {_author(patch.headers.sender)} wrote:')
    out.append(TRIM)   # the commit message
    last = -1
    for i in sorted(quote.lines):
        if i > last + 1 and last >= 0:
            out.append(TRIM)
        out.append('> ' + lines[i])
        for comment in quote.comments.get(i, ()):
            out += ([] if out[-1] == '' else ['']) + [*comment, '']
        last = i
    if last < len(lines) - 1 - (lines[-1] == ''):
        out.append(TRIM)
    if out[-1] != '':
        out.append('')
    out += ['-- ', signature]
    return '\n'.join(out) + '\n'


def _reply_subject(subject: str) -> str:
    return subject if re.match(r'(?i)re:', subject) else f'Re: {subject}'


def _address(text: str) -> str:
    return getaddresses([text])[0][1].lower()


def recipients(patch: IncomingPatch, sender: Ident) -> tuple[str, tuple[str, ...]]:
    """To: the patch's sender; Cc: its To and Cc, each once, without To or us."""
    assert patch.headers is not None
    to = patch.headers.sender
    seen = {_address(to), sender.email.lower()}
    cc = []
    for addr in (*patch.headers.to, *patch.headers.cc):
        key = _address(addr)
        if key and key not in seen:
            seen.add(key)
            cc.append(addr)
    return to, tuple(cc)


def draft_name(subject: str) -> str:
    slug = re.sub(r'[^A-Za-z0-9._]+', '-', _reply_subject(subject)).strip('.-')
    return slug[:60].rstrip('.-') + '.mbox'


def build(patch: IncomingPatch, findings: Sequence[Finding], sender: Ident, date: datetime,
          message_id: str, images: Mapping[str, bytes] | None = None) -> Draft:
    """One reply draft as an mbox message. `message_id` without <>."""
    h = patch.headers
    if h is None or not h.message_id:
        raise ValueError('a reply needs the patch mail, with its Message-ID')
    msg = EmailMessage(policy=_POLICY)
    msg['From'] = Address(sender.name, addr_spec=sender.email)
    to, cc = recipients(patch, sender)
    msg['To'] = to
    if cc:
        msg['Cc'] = ', '.join(cc)
    msg['Subject'] = _reply_subject(h.subject)
    msg['Date'] = format_datetime(date)
    head = b''.join(_POLICY.fold_binary(k, v) for k, v in msg.items())
    # Message ids are never encoded; References gets one id a line.
    references = list(h.references) or ([h.in_reply_to] if h.in_reply_to else [])
    head += (f'Message-ID: <{message_id}>\n'
             f'In-Reply-To: <{h.message_id}>\n'
             'References: ' + '\n '.join(f'<{r}>' for r in [*references, h.message_id]) + '\n'
             'MIME-Version: 1.0\n'
             'Content-Type: text/plain; charset=utf-8\n'
             'Content-Transfer-Encoding: 8bit\n').encode()
    text = body(patch, findings, sender.name, images)
    stamp = date.astimezone(timezone.utc).strftime('%a %b %e %H:%M:%S %Y')
    envelope = f'From {sender.email} {stamp}\n'.encode()
    data = envelope + head + b'\n' + _MBOX_ESCAPE.sub(r'>\1', text).encode('utf-8', 'surrogateescape')
    return Draft(draft_name(h.subject), data)
