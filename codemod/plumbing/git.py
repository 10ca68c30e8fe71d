"""The one module that runs git.

Every call is `git --no-pager -c color.ui=never ...` with LC_ALL=C and no
pager in the environment, so that output is plain, untranslated and never
waits on a terminal; output is captured as bytes and decoded only where the
value is known to be text (names, shas, subjects).
"""
from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

_DROP_ENV = ('GIT_PAGER', 'PAGER', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE')


class GitError(Exception):
    def __init__(self, args: list[str], cwd: Path | str, returncode: int, stderr: bytes) -> None:
        detail = '; '.join(line.strip() for line in decode(stderr).splitlines() if line.strip())
        super().__init__(f'git {" ".join(args)} (in {cwd}) exited with {returncode}: '
                         f'{detail or "no message"}')
        self.args_list = args
        self.returncode = returncode
        self.stderr = stderr


def decode(data: bytes) -> str:
    return data.decode('utf-8', 'surrogateescape')


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    # GIT_DIR & co. would point us at another repository than `cwd`.
    env = {k: v for k, v in os.environ.items() if k not in _DROP_ENV}
    env.update(LC_ALL='C', LANGUAGE='C', GIT_TERMINAL_PROMPT='0', GIT_PAGER='cat', PAGER='cat')
    env.update(extra or {})
    return env


def run(args: list[str], cwd: Path | str, *, input: bytes | None = None, check: bool = True,
        env: dict[str, str] | None = None, git_dir: bool = False) -> bytes:
    """Run `git args` in `cwd` and return its stdout; GitError if it fails.
    `env`: variables to set on top of ours (a scratch GIT_DIR, a temporary index, idents).
    `git_dir`: `cwd` is the repository itself (a bare one, like an inbox
    epoch): git must not look for one in the folders above."""
    cmd = ['git', '--no-pager', '-c', 'color.ui=never', *(['--git-dir=.'] if git_dir else []), *args]
    try:
        proc = subprocess.run(cmd, cwd=cwd, input=input, capture_output=True, env=_env(env),
                              stdin=None if input is not None else subprocess.DEVNULL)
    except OSError as e:
        raise GitError(args, cwd, -1, str(e).encode()) from e
    if check and proc.returncode != 0:
        raise GitError(args, cwd, proc.returncode, proc.stderr)
    return proc.stdout


def try_run(args: list[str], cwd: Path | str, git_dir: bool = False) -> bytes | None:
    """stdout, or None when git says no (missing path, ref, key...)."""
    try:
        return run(args, cwd, git_dir=git_dir)
    except GitError:
        return None


def version(cwd: Path | str = '.') -> str:
    """'2.39.5': what format-patch puts in its signature."""
    return decode(run(['--version'], cwd)).strip().removeprefix('git version ')


def is_repo(path: Path | str) -> bool:
    return Path(path).is_dir() and try_run(['rev-parse', '--git-dir'], path) is not None


def is_git_dir(path: Path | str) -> bool:
    """Whether `path` itself is a repository's git directory (bare or .git)."""
    return Path(path).is_dir() and try_run(['rev-parse', '--git-dir'], path, git_dir=True) is not None


def toplevel(path: Path | str) -> Path | None:
    """The work tree's top directory, or None outside one."""
    if not Path(path).is_dir():
        return None
    out = try_run(['rev-parse', '--show-toplevel'], path)
    return Path(decode(out).strip()) if out and out.strip() else None


def rev_parse(path: Path | str, rev: str, *, git_dir: bool = False) -> str | None:
    """The full sha `rev` names (peeled to a commit), or None."""
    out = try_run(['rev-parse', '--verify', '--quiet', '--end-of-options', f'{rev}^{{commit}}'], path, git_dir)
    return decode(out).strip() if out else None


def head(path: Path | str, *, git_dir: bool = False) -> str | None:
    """HEAD's full sha, or None in a repository without commits."""
    return rev_parse(path, 'HEAD', git_dir=git_dir)


def config(path: Path | str, key: str) -> str | None:
    """The value of `key`, or None when it is unset."""
    out = try_run(['config', '--get', key], path)
    return None if out is None else decode(out).rstrip('\n')


def ident(path: Path | str) -> tuple[str, str] | None:
    """(user.name, user.email), or None unless both are set."""
    name, email = config(path, 'user.name'), config(path, 'user.email')
    return (name, email) if name and email else None


def log_subjects(path: Path | str, files: list[str], limit: int) -> list[str]:
    """Subjects of the last `limit` non-merge commits touching `files`."""
    out = run(['log', '--no-merges', '--format=%s', '-n', str(limit), '--', *files], path)
    return decode(out).splitlines()


def log_commits(path: Path | str, files: list[str], limit: int) -> list[tuple[str, str]]:
    """(sha, subject) of the last `limit` non-merge commits touching `files`
    (literal pathspecs), newest first."""
    out = run(['--literal-pathspecs', 'log', '--no-merges', '--format=%H %s', '-n', str(limit),
               '--', *files], path)
    return [tuple(line.split(' ', 1)) if ' ' in line else (line, '')  # type: ignore[misc]
            for line in decode(out).splitlines()]


def show_commit(path: Path | str, rev: str) -> bytes:
    """The commit as one mbox message, as `git format-patch -1 --stdout`,
    with the user's format.* extras (signature, notes, To/Cc...) turned off."""
    return run(['format-patch', '-1', '--stdout', '--no-signature', '--no-numbered', '--no-to',
                '--no-cc', '--no-thread', '--no-notes', '--no-signoff', '--no-cover-letter',
                '--no-base', '--no-add-header', '--end-of-options', rev], path)


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    parents: tuple[str, ...]
    author: tuple[str, str]
    author_date: datetime
    message: str


def commit_info(path: Path | str, rev: str) -> CommitInfo:
    """Who wrote `rev`, when (in their zone), its parents and message as stored."""
    out = run(['log', '-1', '--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%B',
               '--end-of-options', rev, '--'], path)
    sha, parents, name, email, date, message = decode(out).split('\0', 5)
    return CommitInfo(sha, tuple(parents.split()), (name, email),
                      datetime.fromisoformat(date), message.removesuffix('\n'))


def changed_paths(path: Path | str, rev: str) -> list[str]:
    """Paths `rev` changes against its first parent (all of them for a root)."""
    out = run(['diff-tree', '-r', '-z', '--no-commit-id', '--name-only', '--root',
               '--no-renames', '--end-of-options', rev], path)
    return [decode(p) for p in out.split(b'\0') if p]


def read_file(path: Path | str, rev: str, relpath: str) -> tuple[bytes, str] | None:
    """(contents, mode) of `relpath` (from the top) at `rev`; None if absent."""
    out = run(['ls-tree', '-z', '--full-tree', '--end-of-options', rev, '--', relpath], path)
    entry = out.split(b'\0')[0]
    if not entry:
        return None
    meta, _, name = entry.partition(b'\t')
    mode, kind, oid = decode(meta).split()
    if kind != 'blob' or decode(name) != relpath:
        return None
    return run(['cat-file', 'blob', oid], path), mode


def dirty_paths(path: Path | str) -> list[str]:
    """Tracked paths with staged or unstaged changes (untracked ignored)."""
    out = run(['status', '--porcelain=v1', '-z', '--untracked-files=no'], path)
    fields = out.split(b'\0')
    paths = []
    i = 0
    while i < len(fields) and fields[i]:
        status, name = fields[i][:2], fields[i][3:]
        paths.append(decode(name))
        i += 2 if status[:1] in (b'R', b'C') else 1  # renames add the source
    return paths


@dataclass(frozen=True)
class RawChange:
    status: str      # git's letter: M, A, D, R, C, T
    old_path: str
    new_path: str    # == old_path unless renamed or copied
    old_oid: str     # all zeros for a new file
    new_oid: str     # all zeros for a deleted file


def commit_raw_changes(path: Path | str, rev: str) -> list[RawChange]:
    """What `rev` changes against its first parent (against nothing for a
    root commit), renames detected as `git diff-tree -M` does, in git's order."""
    out = run(['diff-tree', '-r', '-z', '-M', '--raw', '--root', '--no-commit-id',
               '--end-of-options', rev], path)
    fields = out.split(b'\0')
    changes = []
    i = 0
    while i < len(fields) and fields[i]:
        _, _, old_oid, new_oid, status = decode(fields[i]).split()
        two = status[:1] in ('R', 'C')
        old = decode(fields[i + 1])
        new = decode(fields[i + 2]) if two else old
        changes.append(RawChange(status[:1], old, new, old_oid, new_oid))
        i += 3 if two else 2
    return changes


def object_sizes(path: Path | str, oids: list[str]) -> list[int]:
    """The size in bytes of each object (`git cat-file --batch-check`)."""
    if not oids:
        return []
    out = run(['cat-file', '--batch-check=%(objectsize)', '--buffer'], path,
              input=''.join(o + '\n' for o in oids).encode())
    return [int(line) if line.isdigit() else 0 for line in decode(out).split('\n')[:len(oids)]]


def commit_diff(path: Path | str, rev: str, paths: list[str] | None = None) -> bytes:
    """The patch of `rev` against its first parent (`git diff-tree -p -M
    --root`), only of `paths` (literal pathspecs) when given. Binary files
    show as `Binary files ... differ`."""
    args = ['--literal-pathspecs', 'diff-tree', '-p', '-M', '--root', '--no-commit-id',
            '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/',
            '--end-of-options', rev]
    if paths is not None:
        args += ['--', *paths]
    return run(args, path)


def log_paths(path: Path | str, rev: str, files: list[str] | None = None,
              max_count: int | None = None) -> Iterator[tuple[str, list[str]]]:
    """(subject, paths changed) of each non-merge commit from `rev` back,
    newest first, as `git log --no-merges --name-only` shows them; only
    commits touching `files` (as literal pathspecs) when given. Streamed:
    closing the iterator early stops git."""
    args = ['git', '--no-pager', '-c', 'color.ui=never', '-c', 'core.quotePath=false',
            '--literal-pathspecs', 'log', '--no-merges', '--no-renames', '--name-only',
            '--format=%x00%s', '--stdin']
    if max_count is not None:
        args += ['-n', str(max_count)]
    import tempfile
    stdin = f'{rev}\n'
    if files:
        stdin += '--\n' + ''.join(f + '\n' for f in files)
    with tempfile.TemporaryFile() as errors:  # a file: a full stderr pipe could block git
        try:
            proc = subprocess.Popen(args, cwd=path, env=_env(), stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=errors)
        except OSError as e:
            raise GitError(args[1:], path, -1, str(e).encode()) from e
        assert proc.stdin is not None and proc.stdout is not None
        finished = False
        try:
            try:
                proc.stdin.write(stdin.encode('utf-8', 'surrogateescape'))
                proc.stdin.close()
            except BrokenPipeError:
                pass  # git stopped early: its exit code and stderr say why
            subject: str | None = None
            changed: list[str] = []
            for raw in proc.stdout:
                line = decode(raw).rstrip('\n')
                if line.startswith('\0'):
                    if subject is not None:
                        yield subject, changed
                    subject, changed = line[1:], []
                elif line and subject is not None:
                    changed.append(line)
            finished = True
            if proc.wait() != 0:
                errors.seek(0)
                raise GitError(args[1:], path, proc.returncode, errors.read())
            if subject is not None:
                yield subject, changed
        finally:
            if not finished:
                proc.kill()
            proc.stdout.close()
            proc.wait()


def rev_list(repo: Path | str, tip: str, exclude: str | None = None) -> list[str]:
    """The commits reachable from `tip` and not from `exclude`, oldest first
    (`git rev-list --reverse`): git walks only the new part of history.
    `repo` is a git directory (a bare repository, such as an inbox epoch)."""
    args = ['rev-list', '--reverse', tip]
    if exclude:
        args.append(f'^{exclude}')
    return decode(run([*args, '--'], repo, git_dir=True)).split()


def _widen_pipe(pipe) -> None:
    """Let the pipe hold 1 MiB where Linux allows (64 KiB by default): git
    then writes many messages per wake-up of the reader."""
    import fcntl
    try:
        fcntl.fcntl(pipe.fileno(), getattr(fcntl, 'F_SETPIPE_SZ', 1031), 1 << 20)
    except OSError:
        pass


def cat_file_batch(repo: Path | str, names: list[str]) -> Iterator[tuple[str, bytes | None]]:
    """(name, contents) of each object named (`sha`, `sha:path`, ...), in
    order, from one `git cat-file --batch` in the git directory `repo`;
    None for a missing one.

    The names go in through a file, not a pipe, so git never waits on us
    while we read its output; the output is streamed."""
    if not names:
        return
    import tempfile
    with tempfile.TemporaryFile() as stdin, tempfile.TemporaryFile() as errors:
        stdin.write(''.join(n + '\n' for n in names).encode('utf-8', 'surrogateescape'))
        stdin.seek(0)
        # --buffer: without it git flushes after every object, a write (and
        # a wake-up of this process) per message.
        args = ['git', '--no-pager', '--git-dir=.', 'cat-file', '--batch', '--buffer']
        try:
            proc = subprocess.Popen(args, cwd=repo, env=_env(), stdin=stdin, stdout=subprocess.PIPE,
                                    stderr=errors, bufsize=1 << 20)
        except OSError as e:
            raise GitError(args[1:], repo, -1, str(e).encode()) from e
        assert proc.stdout is not None
        out = proc.stdout
        _widen_pipe(out)
        finished = False
        try:
            for name in names:
                header = out.readline()
                if not header:
                    break
                fields = header.split()
                if len(fields) != 3:       # `<name> missing` (or ambiguous)
                    yield name, None
                    continue
                size = int(fields[2])
                data = out.read(size)
                out.read(1)                # the newline after the contents
                yield name, data
            finished = True
        finally:
            if not finished:
                proc.kill()   # closed early: git need not go on
            out.close()
            code = proc.wait()
        if code != 0:
            errors.seek(0)
            raise GitError(args[1:], repo, code, errors.read())
