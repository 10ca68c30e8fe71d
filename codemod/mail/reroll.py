"""Compare a new series with the previous one, for `Changes in vN:`. Pure.

Patches are matched by subject (without the `[PATCH vN M/N]` prefix). A
patch counts as changed when its diff lines (`+`/`-`, not the index lines,
which change with the base) differ.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_SUBJECT = re.compile(rb'^Subject: (?:\[[^\]]*\] )?(.*(?:\n[ \t].*)*)$', re.M)
_CHANGE_ID = re.compile(rb'^change-id: (\S+)$', re.M)


@dataclass(frozen=True)
class Mail:
    subject: str
    diff: tuple[bytes, ...]     # the +/- lines of the diff


@dataclass(frozen=True)
class Previous:
    cover_change_id: str | None
    patches: tuple[Mail, ...]


def _subject(data: bytes) -> str:
    m = _SUBJECT.search(data)
    if not m:
        return ''
    # Undo header folding.
    return re.sub(rb'\n[ \t]+', b' ', m.group(1)).decode('utf-8', 'replace').strip()


def _diff_lines(data: bytes) -> tuple[bytes, ...]:
    start = data.find(b'\ndiff --git ')
    if start == -1:
        return ()
    return tuple(
        line for line in data[start:].split(b'\n')
        if line[:1] in (b'+', b'-') and not line.startswith((b'+++ ', b'--- '))
    )


def read(files: Sequence[tuple[str, bytes]]) -> Previous:
    """A previous series from its files (name, bytes), cover letter included."""
    change_id = None
    patches = []
    for name, data in sorted(files):
        if name.startswith('0000-'):
            m = _CHANGE_ID.search(data)
            change_id = m.group(1).decode() if m else None
            continue
        patches.append(Mail(_subject(data), _diff_lines(data)))
    return Previous(change_id, tuple(patches))


def changes(previous: Previous, current: Sequence[tuple[str, bytes]]) -> str:
    """One `- ...` line per dropped, added or changed patch."""
    old = {p.subject: p for p in previous.patches}
    new = {subject: _diff_lines(data) for subject, data in current}
    lines = []
    for subject in old:
        if subject not in new:
            lines.append(f'- Dropped "{subject}": its helpers are annotated in the tree now.')
    for subject, diff in new.items():
        if subject not in old:
            lines.append(f'- New: "{subject}".')
        elif old[subject].diff != diff:
            lines.append(f'- Changed: "{subject}".')
    return '\n'.join(lines) if lines else '- No changes to the patches; rebased.'
