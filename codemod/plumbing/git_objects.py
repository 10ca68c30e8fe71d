"""Blobs, trees, commits and branches made without a work tree or the
index (`series --b4-branch`): git plumbing, run through git.run."""
from __future__ import annotations

from pathlib import Path

from codemod.plumbing import git


def is_branch_name(path: Path | str, name: str) -> bool:
    """Whether `name` is a valid new branch name (`git check-ref-format --branch`)."""
    return git.try_run(['check-ref-format', '--branch', name], path) is not None and not name.startswith('-')


def tree_of(path: Path | str, rev: str) -> str:
    """The id of `rev`'s tree."""
    return git.decode(git.run(['rev-parse', '--verify', '--end-of-options', f'{rev}^{{tree}}'], path)).strip()


def branch_exists(path: Path | str, name: str) -> bool:
    return git.try_run(['show-ref', '--verify', '--quiet', f'refs/heads/{name}'], path) is not None


def tree_entries(path: Path | str, rev: str, paths: list[str]) -> dict[str, tuple[str, str]]:
    """{path: (mode, blob id)} of those of `paths` that `rev` has as files."""
    if not paths:
        return {}
    out = git.run(['--literal-pathspecs', 'ls-tree', '-z', '--full-tree', '--end-of-options', rev, '--', *paths], path)
    entries = {}
    for entry in out.split(b'\0'):
        if not entry:
            continue
        meta, _, name = entry.partition(b'\t')
        mode, kind, oid = git.decode(meta).split()
        if kind == 'blob':
            entries[git.decode(name)] = (mode, oid)
    return entries


def write_blob(path: Path | str, data: bytes) -> str:
    """Store `data` as a blob, byte for byte (no filters); its id."""
    return git.decode(git.run(['hash-object', '-w', '--no-filters', '--stdin'], path, input=data)).strip()


def write_tree(path: Path | str, base: str, updates: list[tuple[str, str, str]], index_file: str) -> str:
    """The tree of `base` with (mode, blob id, path) entries set, built in
    the throwaway index `index_file`: the repository's own index and work
    tree are not touched."""
    env = {'GIT_INDEX_FILE': index_file}
    git.run(['read-tree', base], path, env=env)
    info = ''.join(f'{mode} {oid}\t{name}\0' for mode, oid, name in updates)
    git.run(['update-index', '-z', '--index-info'], path, input=info.encode('utf-8', 'surrogateescape'), env=env)
    return git.decode(git.run(['write-tree'], path, env=env)).strip()


def commit_tree(path: Path | str, tree: str, parent: str, message: str, author: tuple[str, str, str],
                committer: tuple[str, str] | None = None) -> str:
    """A commit of `tree` on `parent` with `message` exactly as given (no
    clean-up); author (name, email, date); the committer is git's own
    identity unless given."""
    env = {'GIT_AUTHOR_NAME': author[0], 'GIT_AUTHOR_EMAIL': author[1], 'GIT_AUTHOR_DATE': author[2]}
    if committer is not None:
        env.update(GIT_COMMITTER_NAME=committer[0], GIT_COMMITTER_EMAIL=committer[1])
    out = git.run(['commit-tree', tree, '-p', parent, '-F', '-'], path,
              input=message.encode('utf-8', 'surrogateescape'), env=env)
    return git.decode(out).strip()


def create_branch(path: Path | str, name: str, commit: str, reason: str) -> None:
    """refs/heads/`name` at `commit`; GitError if the branch exists already
    (the update only succeeds from nothing)."""
    git.run(['update-ref', '-m', reason, f'refs/heads/{name}', commit, '0' * 40], path)


def set_config(path: Path | str, key: str, value: str) -> None:
    git.run(['config', '--local', key, value], path)
