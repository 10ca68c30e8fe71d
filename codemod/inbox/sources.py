"""The three kinds of archive, each walked from a saved position.

- a public-inbox v2 inbox (`git/N.git` epochs, one message a commit, in
  file `m`): `git rev-list tip ^last` lists only the new commits, and one
  `git cat-file --batch` per epoch reads their messages;
- a maildir (`cur/`, `new/`): the files whose unique names (before `:`)
  were not seen yet, in name order (names start with the delivery time);
- an mbox: the messages after the byte offset reached last time.

Each walk yields RawMessage records and, at its end, the new position.
The position is plain JSON data (see state.py).
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from codemod.plumbing import git
from codemod.plumbing.errors import PathError

PUBLIC_INBOX = 'public-inbox'
MAILDIR = 'maildir'
MBOX = 'mbox'
_CHECK_BYTES = 4096     # an mbox must still end its walked part with these


class RawMessage(NamedTuple):
    where: str           # for notes: epoch@commit, a file, or mbox:offset
    data: bytes | None   # None: the archive holds no message there


class Walk:
    """Messages after `position`; `position` is the new one once exhausted,
    `notes` what the walk had to say (a rewritten epoch, ...)."""

    def __init__(self, archive: Path, kind: str, position: dict | None) -> None:
        self.archive = archive
        self.kind = kind
        self.position = dict(position or {})
        self.notes: list[str] = []

    def __iter__(self) -> Iterator[RawMessage]:
        walker = {PUBLIC_INBOX: self._public_inbox, MAILDIR: self._maildir, MBOX: self._mbox}[self.kind]
        return walker()

    # public-inbox v2 ------------------------------------------------------

    def epochs(self) -> list[tuple[str, Path]]:
        found = []
        for entry in (self.archive / 'git').iterdir():
            stem = entry.name.removesuffix('.git')
            if entry.name.endswith('.git') and stem.isdigit():
                found.append((stem, entry))
        return sorted(found, key=lambda e: int(e[0]))

    def _public_inbox(self) -> Iterator[RawMessage]:
        last = dict(self.position.get('epochs', {}))
        for epoch, repo in self.epochs():
            seen = last.get(epoch)
            commits = self._new_commits(repo, seen)
            if not commits:
                continue
            label = f'{self.archive.name}/git/{epoch}.git@'
            for name, data in git.cat_file_batch(repo, [f'{c}:m' for c in commits]):
                yield RawMessage(label + name[:12], data)
            last[epoch] = commits[-1]   # rev-list --reverse ends with the tip
        self.position = {'epochs': last}

    def _new_commits(self, repo: Path, seen: str | None) -> list[str]:
        """One `git rev-list HEAD ^seen`: an unchanged epoch costs one git run."""
        try:
            return git.rev_list(repo, 'HEAD', seen)
        except git.GitError:
            if git.is_git_dir(repo) and git.head(repo, git_dir=True) is None:
                return []    # an epoch without commits yet
            if seen is None or git.rev_parse(repo, seen, git_dir=True) is not None:
                raise
        self.notes.append(f'{repo}: note: commit {seen[:12]} of the last run is gone '
                          '(history rewritten, e.g. by a purge): walking the epoch again')
        return git.rev_list(repo, 'HEAD')

    # maildir --------------------------------------------------------------

    def _maildir(self) -> Iterator[RawMessage]:
        seen = set(self.position.get('seen', ()))
        new: list[tuple[str, Path]] = []
        for sub in ('new', 'cur'):
            folder = self.archive / sub
            for entry in os.scandir(folder):
                if entry.name.startswith('.') or not entry.is_file():
                    continue
                unique = entry.name.split(':', 1)[0]
                if unique not in seen:
                    new.append((unique, folder / entry.name))
        new.sort()
        for unique, path in new:
            try:
                data = path.read_bytes()
            except OSError as e:
                self.notes.append(f'{path}: note: cannot read: {e.strerror}, skipped')
                continue
            seen.add(unique)
            yield RawMessage(str(path), data)
        self.position = {'seen': sorted(seen)}

    # mbox -----------------------------------------------------------------

    def _mbox(self) -> Iterator[RawMessage]:
        from codemod.mail.incoming import split_mbox
        offset = int(self.position.get('offset', 0))
        try:
            with open(self.archive, 'rb') as f:
                if offset:
                    f.seek(max(0, offset - _CHECK_BYTES))
                    tail = f.read(min(offset, _CHECK_BYTES))
                    if len(tail) < min(offset, _CHECK_BYTES) or _digest(tail) != self.position.get('check'):
                        self.notes.append(f'{self.archive}: note: the mbox changed before the point '
                                          'reached last time: walking it again')
                        offset = 0
                    f.seek(offset)
                data = f.read()
        except OSError as e:
            raise PathError(self.archive, f'cannot read: {e.strerror}') from None
        end = offset + len(data)
        if data.strip():
            at = offset
            for chunk in split_mbox(data):
                yield RawMessage(f'{self.archive}:{at}', chunk)
                at += len(chunk)
        with open(self.archive, 'rb') as f:
            f.seek(max(0, end - _CHECK_BYTES))
            check = _digest(f.read(min(end, _CHECK_BYTES)))
        self.position = {'offset': end, 'check': check}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def kind_of(archive: Path) -> str:
    """Which kind of archive `archive` is; PathError if none."""
    if archive.is_file():
        return MBOX
    if not archive.is_dir():
        raise PathError(archive, 'no such archive: expected a public-inbox v2 inbox, a maildir or an mbox')
    if (archive / 'git').is_dir() and any(e.name.removesuffix('.git').isdigit() and e.name.endswith('.git')
                                          for e in (archive / 'git').iterdir()):
        return PUBLIC_INBOX
    if (archive / 'cur').is_dir() and (archive / 'new').is_dir():
        return MAILDIR
    raise PathError(archive, 'not an archive: expected a public-inbox v2 inbox (git/N.git), '
                    'a maildir (cur/, new/) or an mbox file')
