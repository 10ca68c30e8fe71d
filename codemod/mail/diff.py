"""Per-file diffs byte for byte as `git diff` / `git format-patch` print them.

A FileChange is one file's old and new bytes. `render()` is the edge: it
has git itself print the diffs of many changes at once
(plumbing/snapshots.py), because a series we write must be what
`git format-patch` would have sent for the same commits. Everything else
here is pure: reading the rendered text (line counts, abbreviated index
lines), paths and their quoting, blob hashes.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace

NULL_OID = '0' * 40


def blob_hash(data: bytes) -> str:
    """The object id git gives `data` as a blob (SHA-1 repositories)."""
    return hashlib.sha1(b'blob %d\0' % len(data) + data).hexdigest()


@dataclass(frozen=True)
class FileChange:
    """One file of a commit. `old` None: created; `new` None: deleted."""

    old_path: str
    new_path: str
    old: bytes | None
    new: bytes | None
    old_mode: str = '100644'
    new_mode: str = '100644'
    # What git prints for this change, index lines in full (render() fills
    # it in); b'' when nothing changed. None: not rendered yet.
    diff: bytes | None = None

    @property
    def path(self) -> str:
        """The path git sorts and names this change by."""
        return self.old_path if self.new is None else self.new_path

    @property
    def is_rename(self) -> bool:
        return self.old is not None and self.new is not None and self.old_path != self.new_path

    @property
    def is_noop(self) -> bool:
        """Nothing to show: git leaves such a file out of diffs and stats."""
        return (self.old == self.new and self.old_path == self.new_path
                and (self.old is None or self.old_mode == self.new_mode))


def sorted_changes(changes: list[FileChange]) -> list[FileChange]:
    """The changes git would show, in its order: by path bytes (which is its
    tree order for full paths)."""
    return sorted((c for c in changes if not c.is_noop), key=lambda c: _b(c.path))


# --- quoting (git's quote_c_style with core.quotePath=true) ------------------

_C_ESCAPES = {7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 34: '"', 92: '\\'}


def _b(path: str) -> bytes:
    return path.encode('utf-8', 'surrogateescape')


def _needs_quote(raw: bytes) -> bool:
    return any(c < 0x20 or c >= 0x7f or c in (34, 92) for c in raw)


def quote_path(path: str, prefix: str = '') -> str:
    """`prefix + path`, C-quoted as a whole when git would quote it."""
    raw = _b(prefix + path)
    if not _needs_quote(raw):
        return prefix + path
    out = []
    for c in raw:
        if c in _C_ESCAPES:
            out.append('\\' + _C_ESCAPES[c])
        elif c < 0x20 or c >= 0x7f:
            out.append('\\%03o' % c)
        else:
            out.append(chr(c))
    return '"' + ''.join(out) + '"'


# --- the per-file diff -------------------------------------------------------

def _check_supported(change: FileChange) -> None:
    for data in (change.old, change.new):
        if data is not None and b'\0' in data[:8000]:
            # format-patch would send a "GIT binary patch"; we never need one.
            raise ValueError(f'{change.path}: binary contents are not supported')
    if change.is_rename and change.old != change.new:
        # git would score the similarity, and might not pair the two at all.
        raise ValueError(f'{change.old_path} -> {change.new_path}: only pure renames are supported')


def _header(change: FileChange) -> bytes:
    old_name = change.old_path if change.old is not None else change.new_path
    new_name = change.new_path if change.new is not None else change.old_path
    return f'diff --git {quote_path(old_name, "a/")} {quote_path(new_name, "b/")}\n'.encode(
        'utf-8', 'surrogateescape')


def render(changes: Sequence[FileChange], attributes: bytes = b'') -> list[FileChange]:
    """The changes with `diff` filled in by git (one scratch repository for
    all of them). `attributes`: the tree's .gitattributes, which picks the
    diff driver, and so the hunk headings, of each path."""
    from codemod.plumbing import snapshots
    for change in changes:
        _check_supported(change)
    # git pairs a deleted file with a created one as a rename (-M), so only
    # edits in place, one per path, share a pair of snapshots; any other
    # change has a pair of its own.
    paths = [c.path for c in changes]
    shared = [i for i, c in enumerate(changes) if c.old is not None and c.new is not None
              and c.old_path == c.new_path and paths.count(c.path) == 1]
    in_shared = set(shared)
    alone = [i for i in range(len(changes)) if i not in in_shared]
    pairs = [([_entry(changes[i], 'old') for i in shared], [_entry(changes[i], 'new') for i in shared])]
    pairs += [(_side(changes[i], 'old'), _side(changes[i], 'new')) for i in alone]
    texts = snapshots.diffs(pairs, attributes)
    by_header = {_file_header(chunk): chunk for chunk in _per_file(texts[0])}
    diffs = {i: by_header.pop(_header(changes[i]), b'') for i in shared}
    diffs.update(zip(alone, texts[1:]))
    rendered = []
    for i, change in enumerate(changes):
        text = diffs[i]
        if text and not text.startswith(_header(change)) or i in in_shared and by_header:
            raise ValueError(f'{change.path}: git printed another change: {text[:120]!r}')
        rendered.append(replace(change, diff=text))
    return rendered


def _entry(change: FileChange, side: str):
    from codemod.plumbing.snapshots import Entry
    if side == 'old':
        return Entry(change.old_path, change.old_mode, change.old)
    return Entry(change.new_path, change.new_mode, change.new)


def _side(change: FileChange, side: str) -> list:
    return [] if getattr(change, side) is None else [_entry(change, side)]


def _per_file(text: bytes) -> list[bytes]:
    starts = [0] if text.startswith(b'diff --git ') else []
    pos = text.find(b'\ndiff --git ')
    while pos >= 0:
        starts.append(pos + 1)
        pos = text.find(b'\ndiff --git ', pos + 1)
    return [text[s:e] for s, e in zip(starts, [*starts[1:], len(text)])]


def _file_header(chunk: bytes) -> bytes:
    return chunk[:chunk.index(b'\n') + 1]


def _rendered(change: FileChange) -> bytes:
    if change.diff is None:
        raise ValueError(f'{change.path}: the change has no diff yet (render() it first)')
    return change.diff


def file_diff(change: FileChange, abbrev: int = 7) -> bytes:
    """Exactly what `git diff` (and format-patch) prints for one file, with
    blob names cut to `abbrev` digits as in a repository that needs no more."""
    text = _rendered(change)
    head, sep, rest = text.partition(b'\nindex ')
    if not sep:
        return text
    line, newline, body = rest.partition(b'\n')
    old, _, new = line.partition(b'..')
    new_oid, space, mode = new.partition(b' ')
    return head + sep + old[:abbrev] + b'..' + new_oid[:abbrev] + space + mode + newline + body


def line_counts(change: FileChange) -> tuple[int, int]:
    """(added, deleted) lines, as in the diffstat."""
    text = _rendered(change)
    added = deleted = 0
    in_hunks = False
    for line in text.split(b'\n'):
        if line.startswith(b'@@ '):
            in_hunks = True
        elif in_hunks and line.startswith(b'+'):
            added += 1
        elif in_hunks and line.startswith(b'-'):
            deleted += 1
    return added, deleted


def combine(changes: Sequence[FileChange]) -> list[FileChange]:
    """Changes applied in order, as one change per file (base to tip).

    A file changed twice gets one change from its first old side to its
    last new side, which is not rendered (neither diff is that one)."""
    combined: dict[str, FileChange] = {}
    for change in changes:
        key = change.new_path if change.old is None else change.old_path
        prev = combined.pop(key, None)
        if prev is not None:
            change = replace(change, old_path=prev.old_path, old=prev.old, old_mode=prev.old_mode, diff=None)
        combined[change.old_path if change.new is None else change.new_path] = change
    return [c for c in combined.values() if not (c.old is None and c.new is None)]
