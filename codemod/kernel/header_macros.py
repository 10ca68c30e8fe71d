"""What the tree's own headers say about macros, learned once and cached.

Read only when a declaration tree-sitter could not read has a word that
may be a macro and that neither our list nor the file knows (header.py
asks lazily), so `check` on 6.12's helper files never pays for it.
Learning reads every `#define` of include/ and arch/*/include/ (about
10,000 headers, 56 MB in 6.12): 3-5 s, once. The result (only the
attribute-like and item macros, see c_source/macros.py) is cached in
~/.cache/rust-helper-codemod/ under the tree's path, with the count, total
size and newest mtime of those headers and a hash of the code that learns:
checking that costs a walk of the folders (30-40 ms), reading the cache
about 20 ms.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable

from codemod.c_source import macros
from codemod.plumbing.fsio import create_exclusive
from codemod.plumbing.fsio import remove_if_present

CACHE_VERSION = 1
ENV_CACHE = 'RUST_HELPERS_CACHE'

_DEFINE = re.compile(
    rb'^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(\((?:[^)\\\n]|\\\r?\n)*\))?((?:\\\r?\n|[^\n])*)', re.M)
_COMMENT = re.compile(rb'/\*.*?(?:\*/|\Z)|//[^\n]*', re.S)


def header_folders(root: str) -> list[str]:
    folders = [os.path.join(root, 'include')]
    arch = os.path.join(root, 'arch')
    try:
        names = sorted(os.listdir(arch))
    except OSError:
        names = []
    folders += [os.path.join(arch, n, 'include') for n in names if os.path.isdir(os.path.join(arch, n, 'include'))]
    return [f for f in folders if os.path.isdir(f)]


def _headers(root: str) -> list[tuple[str, os.stat_result]]:
    out = []
    for folder in header_folders(root):
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith('.h'):
                    path = os.path.join(dirpath, name)
                    try:
                        out.append((path, os.stat(path)))
                    except OSError:
                        continue
    return out


def defines_in(text: bytes, into: dict[bytes, list[macros.Define]]) -> None:
    """Every `#define` of one header, comments dropped."""
    for m in _DEFINE.finditer(text):
        body = _COMMENT.sub(b' ', m.group(3).replace(b'\\\n', b' ').replace(b'\\\r\n', b' ')).strip()
        into.setdefault(m.group(1), []).append(macros.Define(m.group(2), body))


def learn(root: str, headers: list[tuple[str, os.stat_result]]) -> dict[bytes, int]:
    defines: dict[bytes, list[macros.Define]] = {}
    for path, _ in headers:
        try:
            with open(path, 'rb') as f:
                defines_in(f.read(), defines)
        except OSError:
            continue
    return macros.learn(defines)


def _cache_path(root: str) -> str:
    import hashlib      # only when the headers are needed: not on `check`'s usual path
    base = os.environ.get(ENV_CACHE) or os.path.join(
        os.environ.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache'), 'rust-helper-codemod')
    key = hashlib.sha1(os.path.realpath(root).encode()).hexdigest()[:16]
    return os.path.join(base, f'macros-{key}.txt')


def _signature(headers: list[tuple[str, os.stat_result]]) -> str:
    """The headers' count, size and newest mtime, and the rules that read them
    (a change to macros.py or to this file makes the cache stale too)."""
    import hashlib
    newest = max((st.st_mtime_ns for _, st in headers), default=0)
    size = sum(st.st_size for _, st in headers)
    rules = hashlib.sha1()
    for source in (macros.__file__, __file__):
        with open(source, 'rb') as f:
            rules.update(f.read())
    rules = rules.hexdigest()[:12]
    return f'v{CACHE_VERSION} {rules} {len(headers)} {size} {newest}'


def _read_cache(path: str, signature: str) -> dict[bytes, int] | None:
    try:
        with open(path, 'rb') as f:
            lines = f.read().split(b'\n')
    except OSError:
        return None
    if not lines or lines[0].decode('ascii', 'replace') != signature:
        return None
    out = {}
    for line in lines[1:]:
        flags, _, name = line.partition(b' ')
        if name:
            out[name] = int(flags)
    return out


def _write_cache(path: str, signature: str, learned: dict[bytes, int]) -> None:
    """Best effort: a cache we cannot write is only slower next time."""
    text = signature.encode() + b'\n' + b''.join(b'%d %s\n' % (v, k) for k, v in sorted(learned.items()))
    tmp = None
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = create_exclusive(os.path.dirname(path), '.macros', '.tmp')
        with os.fdopen(fd, 'wb') as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            remove_if_present(tmp)


def learned_macros(root: str) -> dict[bytes, int]:
    """The flags of the macros the tree's headers define (from the cache if it is fresh)."""
    headers = _headers(root)
    if not headers:
        return {}
    path = _cache_path(root)
    signature = _signature(headers)
    cached = _read_cache(path, signature)
    if cached is not None:
        return cached
    learned = learn(root, headers)
    _write_cache(path, signature, learned)
    return learned


def knowledge_for(root: str | None) -> Callable[[], macros.Knowledge]:
    """What a scan of this tree's files knows about macros, made when first asked."""
    if root is None:
        return macros.Knowledge
    memo: dict[bytes, int] | None = None

    def learned() -> dict[bytes, int]:
        nonlocal memo
        if memo is None:
            memo = learned_macros(root)
        return memo

    return lambda: macros.Knowledge(learned=learned)
