"""Compose the patch series: records in, mail files out. No I/O here.

The series is the macro patch (unless the tree defines __rust_helper
already), then one patch per group in tag order, then a cover letter. Each
patch is addressed by MAINTAINERS (To: maintainers and reviewers, Cc: lists,
the way b4 splits get_maintainer.pl's output) and lists its recipients as
`Cc:` notes under the `---`, where `git am` ignores them.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime

from codemod.kernel import macro_patch
from codemod.kernel.grouping import Group
from codemod.mail import cover
from codemod.mail import routed
from codemod.mail.diff import blob_hash
from codemod.mail.diff import FileChange
from codemod.mail.mbox import Cover
from codemod.mail.mbox import format_cover
from codemod.mail.mbox import format_mbox
from codemod.mail.mbox import Ident
from codemod.mail.mbox import Mail
from codemod.mail.mbox import Patch
from codemod.mail.routed import Recipients

DEFAULT_TITLE = 'Allow inlining C helpers into Rust when using LTO'
GROUP_BODY = 'This is needed to inline these helpers into Rust code.'
SIGNATURE = 'rust-helper-codemod'
ABBREV = 12   # what kernel trees use (core.abbrev = 12)

@dataclass(frozen=True)
class Generated:
    path: str
    generator: str | None
    missing: int


@dataclass(frozen=True)
class SeriesInput:
    sender: Ident
    date: datetime
    groups: Sequence[Group]
    # path -> its change (old bytes to annotated bytes), rendered
    # (mail/diff.py render()), for every file in the groups
    contents: Mapping[str, FileChange]
    # the macro patch's changes, rendered; empty: the tree has it already
    macro_changes: Sequence[FileChange]
    route: Callable[[bytes], Recipients]    # a mail's bytes -> its MAINTAINERS recipients
    version: int | None = None          # -v N; None: not given (no `vN` anywhere)
    title: str = DEFAULT_TITLE
    extra_to: tuple[str, ...] = ()
    extra_cc: tuple[str, ...] = ()
    base_commit: str | None = None
    change_id: str | None = None
    changes_text: str | None = None     # "Changes in vN" items, one per line
    generated: Sequence[Generated] = ()
    # base to tip, one change per file, rendered: the cover's diffstat.
    # None: each file is in one patch only, and its change is that patch's.
    combined: Sequence[FileChange] | None = None
    cover_body: str | None = None       # the user's (--cover); None: cover.default_body
    grouping: str = 'section'           # how the groups were made (cover.GROUPINGS)
    helper_count: int = 0               # helpers the group patches annotate


@dataclass(frozen=True)
class SeriesFile:
    name: str
    data: bytes
    subject: str
    recipients: Recipients
    # What a commit of it holds (series --b4-branch): a patch's commit
    # message and changes; for the cover letter, its own text (title, blank
    # line, body) and no changes.
    message: str = ''
    changes: tuple[FileChange, ...] = ()


def group_subject(tag: str) -> str:
    return f'rust: {tag}: add __rust_helper to helpers'


def _sanitized(subject: str) -> str:
    """git's format_sanitized_subject(): what follows `NNNN-` in a file name."""
    out, space = [], 2
    i = 0
    while i < len(subject):
        c = subject[i]
        if c.isascii() and (c.isalnum() or c in '._'):
            if space == 1:
                out.append('-')
            space = 0
            out.append(c)
            if c == '.':
                while i + 1 < len(subject) and subject[i + 1] == '.':
                    i += 1
        else:
            space |= 1
        i += 1
    return ''.join(out).rstrip('.-')


def patch_file_name(number: int, subject: str, version: int | None = None) -> str:
    """`git format-patch [-vN]`'s name: `[vN-]NNNN-subject.patch`, the cover
    letter's subject being `cover-letter`. git cuts the name, the `vN-`
    included, to 64 bytes with the `.patch` and a NUL."""
    reroll = f'v{version}-' if version is not None else ''
    return f'{reroll}{number:04d}-{_sanitized(subject)}'[:64 - len('.patch') - 1] + '.patch'


def _message(subject: str, body: str, sender: Ident) -> str:
    return f'{subject}\n\n{body.rstrip()}\n\nSigned-off-by: {sender.name} <{sender.email}>\n'


def _commit_id(parent: str, message: str, changes: Sequence[FileChange]) -> str:
    """A stable stand-in for the commit id on the `From <id>` line.

    We never create commits; git am ignores this id, but a fixed one keeps
    a regenerated series byte-identical.
    """
    h = hashlib.sha1(parent.encode() + message.encode())
    for c in changes:
        h.update(c.path.encode() + blob_hash(c.new or b'').encode())
    return h.hexdigest()


def change_id(title: str, date: datetime, seed: str) -> str:
    """A b4-style change-id: date, a slug of the title, a hash."""
    slug = '-'.join(re.findall(r'[a-z0-9]+', title.lower())[:4]) or 'series'
    digest = hashlib.sha1(f'{title}\n{seed}'.encode()).hexdigest()[:12]
    return f'{date.strftime("%Y%m%d")}-{slug}-{digest}'


def _macro_place(inp: SeriesInput) -> str | None:
    if not inp.macro_changes:
        return None
    created = [c.path for c in inp.macro_changes if c.old is None]
    return f'a new {created[0]}' if created else inp.macro_changes[0].path


def series_change_id(inp: SeriesInput) -> str:
    """The previous series' change-id, else a new one (b4's form)."""
    return inp.change_id or change_id(inp.title, inp.date, inp.base_commit or inp.sender.email)


def _cover_body(inp: SeriesInput, files: Sequence[SeriesFile]) -> str:
    if inp.cover_body is not None:
        body = inp.cover_body.rstrip()
    else:
        facts = cover.Facts(
            macro_in=_macro_place(inp), group_patches=len(inp.groups), helpers=inp.helper_count,
            files=sum(len(g.files) for g in inp.groups), grouping=inp.grouping,
            # the same people, in whatever order each mail lists them
            same_recipients=len({(frozenset(f.recipients.to), frozenset(f.recipients.cc)) for f in files}) == 1,
        )
        body = cover.default_body(facts).rstrip()
        if inp.generated:
            body += '\n\n' + cover.generated_note([(g.path, g.generator, g.missing) for g in inp.generated])
    # The user's own text may carry its changelog already.
    if inp.changes_text and f'Changes in v{inp.version}' not in body:
        body = body.rstrip() + f'\n\n---\nChanges in v{inp.version}:\n' + inp.changes_text.rstrip() + '\n'
    return body


def _cover_tail(inp: SeriesInput, cid: str) -> str:
    # b4's layout: the `---` keeps these lines out of the commit log, where
    # checkpatch would take change-id for a Gerrit Change-Id.
    tail = '---\n'
    if inp.base_commit:
        tail += f'base-commit: {inp.base_commit}\n'
    return tail + f'change-id: {cid}\n'


def build(inp: SeriesInput) -> list[SeriesFile]:
    """The series' files, cover letter first, in `git format-patch` form."""
    planned: list[tuple[str, str, list[FileChange]]] = []
    if inp.macro_changes:
        planned.append((macro_patch.SUBJECT, macro_patch.BODY, list(inp.macro_changes)))
    for group in inp.groups:
        planned.append((group_subject(group.tag), GROUP_BODY, [inp.contents[p] for p in group.files]))

    total = len(planned)
    patches: list[Patch] = []
    files: list[SeriesFile] = []
    parent = inp.base_commit or '0' * 40
    for number, (subject, body, changes) in enumerate(planned, 1):
        message = _message(subject, body, inp.sender)
        parent = _commit_id(parent, message, changes)
        patch = Patch(author=inp.sender, date=inp.date, message=message, changes=changes, commit=parent)
        mail = Mail(number=number, total=total, version=inp.version, signature=SIGNATURE, abbrev=ABBREV)

        def render(r: Recipients, patch: Patch = patch, mail: Mail = mail) -> bytes:
            return format_mbox(replace(patch, commentary=routed.cc_notes(r)), replace(mail, to=r.to, cc=r.cc))

        recipients, data = routed.address(render, inp.route, inp.extra_to, inp.extra_cc, what=subject)
        patches.append(patch)
        files.append(SeriesFile(patch_file_name(number, subject, inp.version), data,
                                subject, recipients, message, tuple(changes)))

    everyone = routed.union([f.recipients for f in files])
    cid = series_change_id(inp)
    body = _cover_body(inp, files)
    letter = Cover(title=inp.title, body=body, sender=inp.sender, date=inp.date, commit=parent)
    mail = Mail(number=0, total=total, version=inp.version, to=everyone.to, cc=everyone.cc,
                signature=SIGNATURE, abbrev=ABBREV)
    cover_data = format_cover(letter, patches, mail, changes=inp.combined, tail=_cover_tail(inp, cid))
    cover_file = SeriesFile(patch_file_name(0, 'cover-letter', inp.version), cover_data, inp.title, everyone,
                            f'{inp.title}\n\n{body.strip()}\n')
    return [cover_file, *files]
