"""git's own diff between snapshots of files that are not commits.

Our series and `annotate --dry-run` print diffs of bytes we computed; they
must be what `git format-patch` would send for the same commits. Rather
than port git's diff engine, we ask git: one `git fast-import` writes every
snapshot as a commit into a scratch repository (a temp folder), then one
`git diff-tree --stdin` prints every diff. Two processes for any number of
snapshots (bench/diff_engine.py measured the choice).

The scratch repository has no configuration but ours, so a user's
diff.* settings cannot change what we print, and its `info/attributes`
holds the tree's .gitattributes, so hunk headings use the kernel's diff
drivers (`*.[ch] diff=cpp`) as they do in a kernel repository.
"""
from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from typing import NamedTuple

from codemod.plumbing import git

# fast-import needs an identity and a date; nobody sees these commits.
_COMMITTER = b'committer rust-helper-codemod <rust-helper-codemod@localhost> 0 +0000\n'
_COMMIT_ID = re.compile(rb'^[0-9a-f]{40}\n', re.M)


class Entry(NamedTuple):
    path: str
    mode: str      # '100644', '100755', '120000'
    data: bytes


def _quote(path: str) -> bytes:
    raw = path.encode('utf-8', 'surrogateescape')
    if b'\n' not in raw and not raw.startswith(b'"'):
        return raw
    return b'"' + raw.replace(b'\\', b'\\\\').replace(b'"', b'\\"').replace(b'\n', b'\\n') + b'"'


def _stream(pairs: Sequence[tuple[Sequence[Entry], Sequence[Entry]]]) -> tuple[bytes, int]:
    """Each distinct blob once, then two commits per pair, each commit's
    tree exactly its snapshot (`deleteall`); and the first commit's mark."""
    out: list[bytes] = []
    marks: dict[bytes, int] = {}
    for pair in pairs:
        for snapshot in pair:
            for entry in snapshot:
                if entry.data not in marks:
                    marks[entry.data] = len(marks) + 1
                    out.append(b'blob\nmark :%d\ndata %d\n%s\n' % (marks[entry.data], len(entry.data), entry.data))
    commit = len(marks)
    for pair in pairs:
        for snapshot in pair:
            commit += 1
            out.append(b'commit refs/heads/snapshots\nmark :%d\n%sdata 0\ndeleteall\n' % (commit, _COMMITTER))
            out.extend(b'M %s :%d %s\n' % (e.mode.encode(), marks[e.data], _quote(e.path)) for e in snapshot)
            out.append(b'\n')
    return b''.join(out), len(marks) + 1


def _read_marks(marks_file: str) -> dict[int, str]:
    """fast-import's `:<mark> <oid>` lines."""
    with open(marks_file, 'rb') as f:
        return {int(mark[1:]): oid.decode() for mark, oid in (line.split() for line in f.read().splitlines())}


def diffs(pairs: Sequence[tuple[Sequence[Entry], Sequence[Entry]]], attributes: bytes = b'') -> list[bytes]:
    """For each (old, new) pair of snapshots, what `git diff-tree -p -M
    --full-index` prints between them (b'' when they are the same)."""
    if not pairs:
        return []
    with tempfile.TemporaryDirectory(prefix='rust-helpers-diff.') as scratch:
        gitdir = os.path.join(scratch, 'scratch.git')
        for folder in ('objects', 'refs/heads', 'info'):
            os.makedirs(os.path.join(gitdir, folder))
        with open(os.path.join(gitdir, 'HEAD'), 'wb') as f:
            f.write(b'ref: refs/heads/snapshots\n')
        with open(os.path.join(gitdir, 'info', 'attributes'), 'wb') as f:
            f.write(attributes)
        env = {'GIT_DIR': gitdir, 'GIT_CONFIG_NOSYSTEM': '1', 'GIT_CONFIG_GLOBAL': os.devnull}
        marks_file = os.path.join(scratch, 'marks')
        stream, first = _stream(pairs)
        git.run(['fast-import', '--quiet', f'--export-marks={marks_file}'], scratch, input=stream, env=env)
        commits = _read_marks(marks_file)
        # diff-tree --stdin reads "<commit> <parent>": the new side first.
        lines = ''.join(f'{commits[first + 2 * i + 1]} {commits[first + 2 * i]}\n' for i in range(len(pairs)))
        out = git.run(['diff-tree', '--stdin', '--always', '-p', '-M', '--full-index', '--no-ext-diff',
                       '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/'], scratch,
                      input=lines.encode(), env=env)
    # --always: each pair's output starts with its commit id, diff or not.
    starts = [m.start() for m in _COMMIT_ID.finditer(out)]
    if len(starts) != len(pairs):
        raise git.GitError(['diff-tree', '--stdin'], scratch, 0,
                           b'expected %d diffs, got %d' % (len(pairs), len(starts)))
    return [out[s + 41:e] for s, e in zip(starts, [*starts[1:], len(out)])]
