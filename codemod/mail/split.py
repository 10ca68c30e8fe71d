"""Split one change into a series: one patch per maintainer group. Pure.

The change comes in as a unidiff PatchSet (codemod.mail.incoming); each file's
diff goes into exactly one patch, re-emitted from unidiff's record as it
came in (byte for byte for git's diffs): renames, copies, new and deleted
files, mode changes and `\\ No newline at end of file` markers are kept.
Binary diffs are refused. Files whose diffs share a path
(a rename and a new file at its old place, a copy and a change to its
source) travel in the same patch, so every patch touches paths no other
patch touches. The patches therefore commute, and applying them in any
order, in particular the series order, gives exactly the tree of the
original change.

Subjects are `<prefix>: <summary>`: the summary is the original subject
without its own prefix, the prefix is chosen by the caller (from git
history, else from the paths: codemod/prefixes.py). Each patch keeps the
original author, date and body, plus the sender's Signed-off-by.
"""
from __future__ import annotations

import hashlib
import re
import textwrap
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime

import unidiff

from codemod.kernel import grouping
from codemod.kernel.grouping import Group
from codemod.kernel.prefixes import distinct
from codemod.kernel.prefixes import split_subject
from codemod.mail import routed
from codemod.mail.diff import quote_path
from codemod.mail.diffstat import pprint_rename
from codemod.mail.diffstat import stat_lines
from codemod.mail.diffstat import summary_line
from codemod.mail.diffstat import summary_lines
from codemod.mail.incoming import path_of
from codemod.mail.incoming import side_path
from codemod.mail.incoming import unquote
from codemod.mail.mbox import Cover
from codemod.mail.mbox import format_cover
from codemod.mail.mbox import format_mbox_rendered
from codemod.mail.mbox import Ident
from codemod.mail.mbox import Mail
from codemod.mail.mbox import Patch
from codemod.mail.routed import Recipients
from codemod.mail.series import ABBREV
from codemod.mail.series import change_id
from codemod.mail.series import patch_file_name
from codemod.mail.series import SeriesFile
from codemod.mail.series import SIGNATURE
from codemod.plumbing.errors import PathError
from codemod.plumbing.text import plural

DEV_NULL = '/dev/null'


# --- one file's diff ----------------------------------------------------------

@dataclass(frozen=True)
class FileDiff:
    """One file of the change, with its diff text as it will be sent."""

    old_path: str | None    # None: the change creates the file
    new_path: str | None    # None: the change deletes it
    text: str               # the whole per-file diff, `diff --git` line to last hunk
    added: int
    removed: int
    old_mode: str | None = None
    new_mode: str | None = None
    copy: bool = False
    similarity: int | None = None     # of a rename or copy
    dissimilarity: int | None = None  # of a rewrite (`git diff -B`)

    @property
    def path(self) -> str:
        """Where the file is after the change (before it, for a deletion)."""
        return self.new_path if self.new_path is not None else self.old_path  # type: ignore[return-value]

    @property
    def paths(self) -> tuple[str, ...]:
        """Every path the diff touches: both sides of a rename or copy."""
        return tuple(dict.fromkeys(p for p in (self.old_path, self.new_path) if p is not None))

    @property
    def moved(self) -> bool:
        return self.old_path is not None and self.new_path is not None and self.old_path != self.new_path

    def stat_name(self) -> str:
        if self.moved:
            return pprint_rename(self.old_path, self.new_path)  # type: ignore[arg-type]
        return quote_path(self.path)

    def summary(self) -> list[str]:
        """git's `--summary` lines for this file."""
        moved = None
        if self.moved:
            percent = self.similarity if self.similarity is not None else 100
            moved = f'{"copy" if self.copy else "rename"} {self.stat_name()} ({percent}%)'
        created, deleted = self.old_path is None, self.new_path is None
        # A new or deleted file's diff may leave its mode out: git's default.
        old_mode = self.old_mode or '100644' if deleted else self.old_mode
        new_mode = self.new_mode or '100644' if created else self.new_mode
        return summary_lines(self.path, old_mode, new_mode, created=created, deleted=deleted,
                             moved=moved, rewrite=self.dissimilarity)


def _hunk_range(start: int, length: int) -> str:
    # git leaves out a length of 1 (xdiff's xdl_emit_hunk_hdr); unidiff would write it.
    return str(start) if length == 1 else f'{start},{length}'


def _file_name_line(mark: str, name: str, timestamp: str | None) -> str:
    # git ends a name that has a space with a tab; unidiff drops it.
    return f'{mark} {name}' + (f'\t{timestamp}' if timestamp else '\t' if ' ' in name else '') + '\n'


def render(f: unidiff.PatchedFile) -> str:
    """The file's diff as it came in: str(f), except where unidiff's output
    differs from git's (hunk lengths of 1, the tab after a name with spaces)."""
    out = [str(f.patch_info) if f.patch_info is not None else '']
    if len(f):
        out.append(_file_name_line('---', f.source_file, f.source_timestamp))
        out.append(_file_name_line('+++', f.target_file, f.target_timestamp))
    for hunk in f:
        header = hunk.section_header
        out.append(f'@@ -{_hunk_range(hunk.source_start, hunk.source_length)} '
                   f'+{_hunk_range(hunk.target_start, hunk.target_length)} @@'
                   f'{" " + header if header else ""}\n')
        out.extend(str(line) for line in hunk)
    return ''.join(out)


def _header_value(line: str, name: str) -> str | None:
    return line[len(name):].rstrip('\n') if line.startswith(name) else None


def file_diff(f: unidiff.PatchedFile, source: str) -> FileDiff:
    """A FileDiff from unidiff's record; PathError for a binary diff."""
    if f.is_binary_file:
        raise PathError(source, f'binary diff for {path_of(f)}: split cannot carry it')
    old = None if f.source_file == DEV_NULL else side_path(f.source_file)
    new = None if f.target_file == DEV_NULL else side_path(f.target_file)
    modes: dict[str, str] = {}
    copy = False
    numbers: dict[str, int] = {}
    for line in f.patch_info or ():
        for name, key in (('old mode ', 'old'), ('new mode ', 'new'), ('new file mode ', 'new'),
                          ('deleted file mode ', 'old')):
            if (value := _header_value(line, name)) is not None:
                modes[key] = value.strip()
        for name in ('rename from ', 'copy from '):
            if (value := _header_value(line, name)) is not None:
                old, copy = unquote(value), name.startswith('copy')
        for name in ('rename to ', 'copy to '):
            if (value := _header_value(line, name)) is not None:
                new = unquote(value)
        for name in ('similarity index ', 'dissimilarity index '):
            if (value := _header_value(line, name)) is not None and value.rstrip('%').isdigit():
                numbers[name] = int(value.rstrip('%'))
        if (value := _header_value(line, 'index ')) is not None and ' ' in value:
            mode = value.rsplit(' ', 1)[1]
            modes.setdefault('old', mode)
            modes.setdefault('new', mode)
    if old is None and new is None:
        raise PathError(source, f'{f.path}: a diff from /dev/null to /dev/null')
    return FileDiff(
        old_path=old, new_path=new, text=render(f), added=f.added, removed=f.removed,
        old_mode=modes.get('old'), new_mode=modes.get('new'), copy=copy,
        similarity=numbers.get('similarity index '), dissimilarity=numbers.get('dissimilarity index '),
    )


def file_diffs(diff: unidiff.PatchSet, source: str) -> list[FileDiff]:
    return [file_diff(f, source) for f in diff]


def diffstat(files: Sequence[FileDiff]) -> str:
    """The `--stat --summary` block of format-patch for these files, in this order."""
    if not files:
        return ''
    lines = stat_lines([(f.stat_name(), f.added, f.removed) for f in files])
    lines.append(summary_line(len(files), sum(f.added for f in files), sum(f.removed for f in files)))
    for f in files:
        lines.extend(f.summary())
    return '\n'.join(lines) + '\n'


# --- which files travel together ----------------------------------------------

def linked(files: Sequence[FileDiff]) -> list[int]:
    """For each file, the index of the first file it must share a patch with
    (itself, unless another diff touches one of its paths)."""
    parent = list(range(len(files)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, f in enumerate(files):
        for p in f.paths:
            if p in owner:
                a, b = root(owner[p]), root(i)
                parent[max(a, b)] = min(a, b)
            else:
                owner[p] = i
    return [root(i) for i in range(len(files))]


# --- the series ---------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    """The change to split: its message, author and files."""

    subject: str
    body: str                   # the message after the subject, trailers included
    author: Ident
    date: datetime
    files: Sequence[FileDiff]


@dataclass(frozen=True)
class Part:
    """One patch of the split: a group of files under one prefix."""

    tag: str                    # what the files share: a section name, a path, a --groups key
    prefix: str
    files: tuple[FileDiff, ...]

    @property
    def paths(self) -> list[str]:
        """Every path of the part, for routing (both sides of a rename)."""
        return list(dict.fromkeys(p for f in self.files for p in f.paths))


@dataclass(frozen=True)
class SplitInput:
    change: Change
    parts: Sequence[Part]
    route: Callable[[bytes], Recipients]    # a mail's bytes -> its MAINTAINERS recipients
    sender: Ident
    date: datetime              # of the cover letter
    version: int | None = None        # -v N; None: not given
    extra_to: tuple[str, ...] = ()
    extra_cc: tuple[str, ...] = ()
    base_commit: str | None = None
    explanation: str = ''          # the cover's note on how the change was split


def group(files: Sequence[FileDiff], key_of: Callable[[FileDiff], str]) -> list[tuple[Group, list[FileDiff]]]:
    """Files by key (grouping.by_key), each group's diffs in input order.
    Files that must travel together (`linked`) take the key of the first."""
    leaders = linked(files)
    keys = [key_of(f) for f in files]
    key_of_path = {f.path: keys[leaders[i]] for i, f in enumerate(files)}
    groups = grouping.by_key(list(key_of_path), key_of_path.__getitem__)
    members: dict[str, list[FileDiff]] = {}
    for f in files:
        members.setdefault(key_of_path[f.path], []).append(f)
    return [(g, members[g.tag]) for g in groups]


def parts_of(groups: Sequence[tuple[Group, list[FileDiff]]], prefix_of: Callable[[Group], str]) -> list[Part]:
    """Each group named by its prefix, no two alike; parts in prefix order."""
    names = distinct([prefix_of(g) for g, _ in groups], [g.files for g, _ in groups])
    parts = [Part(g.tag, name, tuple(members)) for (g, members), name in zip(groups, names)]
    return sorted(parts, key=lambda p: (p.prefix, p.tag))


def with_signoff(body: str, ident: Ident) -> str:
    """`body` with `Signed-off-by: ident` as its last trailer, as `git commit
    -s` adds it: to the closing trailer block, unless already last there."""
    sob = f'Signed-off-by: {ident.name} <{ident.email}>'
    body = body.rstrip()
    if not body:
        return sob + '\n'
    last = body.rsplit('\n\n', 1)[-1].split('\n')
    if last[-1].strip() == sob:
        return body + '\n'
    is_trailers = all(re.match(r'[A-Za-z0-9-]+: ', line) or line[:1].isspace() for line in last)
    return body + ('\n' if is_trailers else '\n\n') + sob + '\n'


def _stand_in_id(parent: str, message: str, diff: bytes) -> str:
    """A stable id for the `From <id>` line (we create no commits)."""
    return hashlib.sha1(parent.encode() + message.encode('utf-8', 'surrogateescape') + diff).hexdigest()


def subject(part: Part, change: Change) -> str:
    return f'{part.prefix}: {split_subject(change.subject)[1]}'


def cover_body(inp: SplitInput) -> str:
    body = inp.change.body.rstrip()
    explanation = inp.explanation or ('Split into one patch per group of files, each sent to the '
                                      'maintainers of those files. Applied in order, the patches give '
                                      'the same tree as the original change.')
    lines = [textwrap.fill(explanation, 72), '']
    for part in inp.parts:
        detail = plural(len(part.files), 'file') + ('' if part.tag == part.prefix else f', {part.tag}')
        lines.append(f'- {part.prefix} ({detail})')
    return (body + '\n\n' if body else '') + '\n'.join(lines) + '\n'


def build(inp: SplitInput) -> list[SeriesFile]:
    """The cover letter, then one patch per part, in `git format-patch` form."""
    change = inp.change
    total = len(inp.parts)
    version = inp.version
    body = with_signoff(change.body, inp.sender)
    parent = inp.base_commit or '0' * 40
    patches: list[Patch] = []
    files: list[SeriesFile] = []
    for number, part in enumerate(inp.parts, 1):
        title = subject(part, change)
        message = f'{title}\n\n{body}'
        diff = ''.join(f.text for f in part.files).encode('utf-8', 'surrogateescape')
        parent = _stand_in_id(parent, message, diff)
        patch = Patch(author=change.author, date=change.date, message=message, changes=(),
                      commit=parent, sender=inp.sender)
        mail = Mail(number=number, total=total, version=version, numbered=True,
                    signature=SIGNATURE, abbrev=ABBREV)
        stat = diffstat(part.files)

        def render(r: Recipients, patch: Patch = patch, mail: Mail = mail, stat: str = stat,
                   diff: bytes = diff) -> bytes:
            return format_mbox_rendered(replace(patch, commentary=routed.cc_notes(r)),
                                        stat, diff, replace(mail, to=r.to, cc=r.cc))

        recipients, data = routed.address(render, inp.route, inp.extra_to, inp.extra_cc, what=title)
        patches.append(patch)
        files.append(SeriesFile(patch_file_name(number, title, version), data, title, recipients))

    everyone = routed.union([f.recipients for f in files])
    cover = Cover(sender=inp.sender, date=inp.date, title=change.subject, body=cover_body(inp), commit=parent)
    tail = '---\n' + (f'base-commit: {inp.base_commit}\n' if inp.base_commit else '')
    tail += f'change-id: {change_id(change.subject, inp.date, parent)}\n'
    mail = Mail(number=0, total=total, version=version, to=everyone.to, cc=everyone.cc,
                signature=SIGNATURE, abbrev=ABBREV)
    data = format_cover(cover, patches, mail, tail=tail, stat=diffstat(change.files))
    return [SeriesFile(patch_file_name(0, 'cover-letter', version), data, change.subject, everyone), *files]
