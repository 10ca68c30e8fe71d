"""Fetch Debian's linux-source-6.12 at test time and cache it outside the repo.

The kernel tree is never committed. Tests that need it call `linux_tree()`,
which downloads the .deb with apt, unpacks the tarball once into the cache,
and returns the path. If that cannot be done the caller fails loudly: a
kernel test never skips.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

PACKAGE = 'linux-source-6.12'
TREE_NAME = 'linux-source-6.12'
_DONE_MARK = '.rust-helper-codemod-extracted'


class KernelSourceUnavailable(RuntimeError):
    pass


def cache_dir() -> Path:
    explicit = os.environ.get('RHC_KERNEL_CACHE')
    if explicit:
        return Path(explicit)
    base = os.environ.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache')
    return Path(base) / 'rust-helper-codemod'


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


def _download_deb(cache: Path) -> Path:
    debs = sorted(cache.glob(f'{PACKAGE}_*.deb'))
    if debs:
        return debs[-1]
    if shutil.which('apt-get') is None:
        raise KernelSourceUnavailable('apt-get not found: cannot fetch ' + PACKAGE)
    res = _run(['apt-get', 'download', PACKAGE], cache)
    if res.returncode != 0:
        # A fresh machine may have no package lists yet.
        _run(['apt-get', 'update', '-qq'], cache)
        res = _run(['apt-get', 'download', PACKAGE], cache)
    debs = sorted(cache.glob(f'{PACKAGE}_*.deb'))
    if res.returncode != 0 or not debs:
        raise KernelSourceUnavailable(
            f'apt-get download {PACKAGE} failed: {res.stderr.strip()}',
        )
    return debs[-1]


def _extract(deb: Path, cache: Path) -> Path:
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        tmp_path = Path(tmp)
        res = _run(['dpkg-deb', '-x', str(deb), str(tmp_path / 'deb')], cache)
        if res.returncode != 0:
            raise KernelSourceUnavailable(f'dpkg-deb -x failed: {res.stderr}')
        tarball = tmp_path / 'deb' / 'usr' / 'src' / f'{PACKAGE}.tar.xz'
        if not tarball.is_file():
            raise KernelSourceUnavailable(f'{tarball.name} not in {deb.name}')
        res = _run(['tar', '-xJf', str(tarball), '-C', str(tmp_path)], cache)
        if res.returncode != 0:
            raise KernelSourceUnavailable(f'tar failed: {res.stderr}')
        tree = cache / TREE_NAME
        if tree.exists():
            shutil.rmtree(tree)
        (tmp_path / TREE_NAME).rename(tree)
    (tree / _DONE_MARK).write_text(deb.name + '\n')
    return tree


def linux_tree() -> Path:
    """Return the pristine extracted tree. Callers must not modify it."""
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    tree = cache / TREE_NAME
    with open(cache / '.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (tree / _DONE_MARK).is_file():
            return tree
        if (tree / 'MAINTAINERS').is_file() and (tree / 'rust' / 'helpers').is_dir():
            # Extracted by hand or by an older run: accept it.
            (tree / _DONE_MARK).write_text('found\n')
            return tree
        return _extract(_download_deb(cache), cache)
