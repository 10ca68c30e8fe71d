"""series --b4-branch NAME: the series as a `b4 prep` branch off HEAD.

One commit per patch on top of an empty cover commit (b4's `commit`
strategy, see mail/b4prep.py), made with git plumbing: blobs, a tree
built in a throwaway index, commit-tree, and a ref created only if it did
not exist. The work tree, the index and HEAD are never touched.

`check` runs before anything is written; `commits` makes the objects
(unreferenced until `publish`), so a run that fails later leaves no
branch behind.
"""
from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from codemod.mail import b4prep
from codemod.mail.diff import blob_hash
from codemod.mail.mbox import Ident
from codemod.mail.series import SeriesFile
from codemod.plumbing import git
from codemod.plumbing import git_objects
from codemod.plumbing.errors import PathError

DEFAULT_MODE = '100644'


@dataclass(frozen=True)
class Branch:
    name: str
    base: str        # HEAD, where it starts
    cover: str       # the cover commit
    tip: str


def check(root: Path, name: str) -> str:
    """HEAD, once the branch can be made there; PathError if not."""
    if git.toplevel(root) != root.resolve():
        raise PathError(root, '--b4-branch needs the tree to be the top of a git work tree')
    head = git.head(root)
    if head is None:
        raise PathError(root, '--b4-branch needs a commit to start from: the repository has none')
    if not git_objects.is_branch_name(root, name):
        raise PathError('--b4-branch', f'not a valid branch name: {name!r}')
    if git_objects.branch_exists(root, name):
        raise PathError('--b4-branch', f'branch {name} exists already; delete it or choose another name')
    return head


def _updates(root: Path, base_tree: str, patch: SeriesFile) -> list[tuple[str, str, str]]:
    """(mode, blob, path) of a patch's new files, having checked that its
    old contents are what HEAD holds (the series is made from the work tree)."""
    paths = [c.path for c in patch.changes]
    entries = git_objects.tree_entries(root, base_tree, paths)
    updates = []
    for change in patch.changes:
        entry = entries.get(change.path)
        if change.old is None:
            if entry is not None:
                raise PathError(change.path, 'exists in HEAD, but the series creates it: commit your changes first')
        elif entry is None or entry[1] != blob_hash(change.old):
            raise PathError(change.path, 'differs from HEAD: commit or stash the change first '
                                         '(the b4 branch starts at HEAD)')
        if change.new is None:
            raise PathError(change.path, 'a deletion: not supported in a b4 branch')
        mode = entry[0] if entry else DEFAULT_MODE
        updates.append((mode, git_objects.write_blob(root, change.new), change.path))
    return updates


def commits(root: Path, name: str, base: str, files: Sequence[SeriesFile], change_id: str,
            revision: int, sender: Ident, date: datetime, to: Sequence[str] = (),
            cc: Sequence[str] = ()) -> Branch:
    """The cover commit and one commit per patch, on `base`; no ref yet.
    `files`: the series, cover letter first, as series.build made it."""
    cover, patches = files[0], files[1:]
    author = (sender.name, sender.email, date.isoformat())
    # b4 looks for a cover committed by user.email; without one, git would
    # refuse to commit, so the sender stands in.
    committer = None if git.ident(root) else (sender.name, sender.email)
    base_tree = git_objects.tree_of(root, base)
    message = b4prep.cover_message(cover.message, b4prep.tracking(change_id, revision), to, cc)
    cover_sha = parent = git_objects.commit_tree(root, base_tree, base, message, author, committer)
    tree_sha = base_tree
    with tempfile.TemporaryDirectory(prefix='rust-helpers-b4-') as tmp:
        index = str(Path(tmp) / 'index')
        for patch in patches:
            tree_sha = git_objects.write_tree(root, tree_sha, _updates(root, tree_sha, patch), index)
            parent = git_objects.commit_tree(root, tree_sha, parent, patch.message, author, committer)
    return Branch(name, base, cover_sha, parent)


def publish(root: Path, branch: Branch) -> None:
    """Create the branch (only if it still does not exist) and mark it as
    b4 prep does."""
    try:
        git_objects.create_branch(root, branch.name, branch.tip, 'rust-helpers series --b4-branch')
    except git.GitError:
        raise PathError('--b4-branch', f'cannot create branch {branch.name}: it exists already?') from None
    git_objects.set_config(root, f'branch.{branch.name}.{b4prep.COVER_STRATEGY_KEY}', b4prep.COVER_STRATEGY)
