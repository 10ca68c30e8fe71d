"""Compare a new series with the previous one, for `Changes in vN:`. Pure.

The previous series is read from its mails, named as we, `git format-patch
[-vN]` or b4 name them: the cover letter is the mail numbered 0 (`[PATCH
v2 0/7]`), not whatever sorts first. A folder holding several versions
side by side (`v1-0001-...`, `v2-0001-...`) gives the newest one before the
version being written.

Patches are matched by subject (without the `[PATCH vN M/N]` prefix), then
by the files they touch. A patch counts as changed when its diff lines
(`+`/`-`, not the index lines, which change with the base) differ. Every
line states only what the inputs show: a patch is "merged" only when its
files need nothing any more and the tree's history holds a commit with its
subject.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass

_SUBJECT = re.compile(rb'^Subject: (.*(?:\n[ \t].*)*)$', re.M)
_BRACKET = re.compile(r'^\[([^\]]*)\] ?')
_VERSION = re.compile(r'(?:^|\s)v(\d+)(?:\s|$)')
_NUMBER = re.compile(r'(?:^|\s)(\d+)/(\d+)$')
_CHANGE_ID = re.compile(rb'^change-id: (\S+)$', re.M)
_BASE_COMMIT = re.compile(rb'^base-commit: ([0-9a-f]{40})$', re.M)
_DIFF_GIT = re.compile(rb'^diff --git a/(\S+) b/(\S+)$', re.M)
_COVER_NAME = re.compile(r'^(?:v\d+-)?0+-cover-letter\.patch$')


@dataclass(frozen=True)
class Mail:
    subject: str
    files: tuple[str, ...]
    diff: tuple[bytes, ...]     # the +/- lines of the diff


@dataclass(frozen=True)
class Previous:
    cover_change_id: str | None
    patches: tuple[Mail, ...]
    version: int = 1
    base_commit: str | None = None


@dataclass(frozen=True)
class _Parsed:
    name: str
    version: int
    number: int | None
    is_cover: bool
    data: bytes
    subject: str


def _header_subject(data: bytes) -> str:
    m = _SUBJECT.search(data.split(b'\n\n', 1)[0])
    if not m:
        return ''
    # Undo header folding.
    return re.sub(rb'\n[ \t]+', b' ', m.group(1)).decode('utf-8', 'replace').strip()


def _parse(name: str, data: bytes) -> _Parsed:
    subject = _header_subject(data)
    version, number = 1, None
    m = _BRACKET.match(subject)
    if m:
        tags = m.group(1)
        if v := _VERSION.search(tags):
            version = int(v.group(1))
        if n := _NUMBER.search(tags):
            number = int(n.group(1))
        subject = subject[m.end():]
    is_cover = number == 0 or (number is None and _COVER_NAME.match(name) is not None)
    return _Parsed(name, version, number, is_cover, data, subject)


def _diff_lines(data: bytes) -> tuple[bytes, ...]:
    start = data.find(b'\ndiff --git ')
    if start == -1:
        return ()
    return tuple(
        line for line in data[start:].split(b'\n')
        if line[:1] in (b'+', b'-') and not line.startswith((b'+++ ', b'--- '))
    )


def files_of(data: bytes) -> tuple[str, ...]:
    """The paths a mail's diff touches, in its order (both sides of a rename)."""
    out: dict[str, None] = {}
    for old, new in _DIFF_GIT.findall(data):
        out[old.decode('utf-8', 'surrogateescape')] = None
        out[new.decode('utf-8', 'surrogateescape')] = None
    return tuple(out)


def mail_of(subject: str, data: bytes) -> Mail:
    return Mail(subject, files_of(data), _diff_lines(data))


def read(files: Sequence[tuple[str, bytes]], before: int | None = None) -> Previous:
    """A previous series from its files (name, bytes), cover letter included.

    With several versions among the files, the newest one below `before`
    (the version being written), else the newest."""
    parsed = [_parse(name, data) for name, data in files]
    versions = sorted({p.version for p in parsed})
    below = [v for v in versions if before is None or v < before]
    version = (below or versions)[-1] if versions else 1
    chosen = sorted((p for p in parsed if p.version == version),
                    key=lambda p: (p.number is None, p.number or 0, p.name))
    change_id = base = None
    patches = []
    for p in chosen:
        if p.is_cover:
            m = _CHANGE_ID.search(p.data)
            change_id = m.group(1).decode() if m else None
            b = _BASE_COMMIT.search(p.data)
            base = b.group(1).decode() if b else None
            continue
        patches.append(mail_of(p.subject, p.data))
    return Previous(change_id, tuple(patches), version, base)


def _quoted(subjects: Sequence[str]) -> str:
    return ', '.join(f'"{s}"' for s in subjects)


def _dropped(old: Mail, settled: Collection[str], applied: Mapping[str, str]) -> str:
    if old.files and all(f in settled for f in old.files):
        if old.subject in applied:
            return f'- Dropped "{old.subject}": merged (commit {applied[old.subject][:12]}).'
        return f'- Dropped "{old.subject}": its files need no changes any more.'
    return f'- Dropped "{old.subject}".'


def _moved(old: Mail, new: Mapping[str, Mail], now_in: dict[str, str], settled: Collection[str]) -> str:
    """The line for a previous patch whose subject is gone but some of whose
    files are in patches of other subjects now."""
    targets = list(dict.fromkeys(now_in[f] for f in old.files if f in now_in))
    if len(targets) == 1 and set(new[targets[0]].files) == set(old.files):
        return f'- Renamed "{old.subject}" to "{targets[0]}".'
    parts = [f'{f} is in "{now_in[f]}"' for f in old.files if f in now_in]
    parts += [f'{f} needs no changes any more' for f in old.files if f not in now_in and f in settled]
    return f'- Regrouped "{old.subject}": ' + '; '.join(parts) + '.'


def _changed(old: Mail, new: Mail) -> str:
    added = [f for f in new.files if f not in old.files]
    removed = [f for f in old.files if f not in new.files]
    detail = [f'now also {", ".join(added)}'] if added else []
    detail += [f'no longer {", ".join(removed)}'] if removed else []
    return f'- Changed "{new.subject}"' + (f' ({"; ".join(detail)})' if detail else '') + '.'


def changes(previous: Previous, current: Sequence[Mail], *, settled: Collection[str] = (),
            applied: Mapping[str, str] | None = None, base_commit: str | None = None) -> str:
    """One `- ...` line per dropped, renamed, regrouped, changed or new patch.

    `settled`: paths that exist and need nothing now (every helper
    annotated, the macro defined); `applied`: subject -> commit, for the
    previous patches' subjects found in the tree's history."""
    applied = applied or {}
    old = {p.subject: p for p in previous.patches}
    new = {p.subject: p for p in current}
    old_files = {f for p in previous.patches for f in p.files}
    now_in = {f: p.subject for p in current for f in p.files}
    lines = []
    for subject, p in old.items():
        if subject in new:
            continue
        if any(f in now_in for f in p.files):
            lines.append(_moved(p, new, now_in, settled))
        else:
            lines.append(_dropped(p, settled, applied))
    for subject, p in new.items():
        if subject in old:
            if old[subject].diff != p.diff or old[subject].files != p.files:
                lines.append(_changed(old[subject], p))
        elif not all(f in old_files for f in p.files):
            # (A patch made only of files the previous series had is told
            # by the Renamed/Regrouped line of where they were.)
            lines.append(f'- New: "{subject}".')
    if previous.base_commit and base_commit and previous.base_commit != base_commit:
        lines.append(f'- Rebased onto {base_commit[:12]}.')
    return '\n'.join(lines) if lines else '- No changes to the patches.'
