"""Subject prefixes (`rust: sync:`) for the patches of a split.

From the files' git history when it has one (`history_prefix`), else from
their paths (`path_prefix`); `distinct` keeps two patches of one series from
sharing a prefix, and so a subject.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from collections.abc import Sequence
from pathlib import PurePosixPath

# Subjects with these prefixes say nothing about who owns the files.
IGNORED_PREFIXES = frozenset({'treewide', 'tree-wide'})
_IGNORED_SUBJECTS = ('Revert ', 'Merge ', 'Reapply ')


def split_subject(subject: str) -> tuple[str | None, str]:
    """(prefix, summary): `rust: sync: add Foo` -> ('rust: sync', 'add Foo').

    The prefix is the leading run of `: `-separated words without spaces
    (`mm/slab`, `ASoC: SOF: Intel`); a subject without one has none.
    """
    parts = subject.split(': ')
    words: list[str] = []
    for part in parts[:-1]:
        if not part or any(c.isspace() for c in part):
            break
        words.append(part)
    rest = ': '.join(parts[len(words):])
    if not words or not rest.strip():
        return None, subject
    return ': '.join(words), rest


def history_prefix(subjects: Iterable[str]) -> str | None:
    """The most common prefix among `subjects` (newest first); a tie goes to
    the most recent. Reverts, merges and tree-wide prefixes don't vote."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for i, subject in enumerate(subjects):
        if subject.startswith(_IGNORED_SUBJECTS):
            continue
        prefix, _ = split_subject(subject)
        if prefix is None or prefix.split(': ')[0].lower() in IGNORED_PREFIXES:
            continue
        counts[prefix] += 1
        first.setdefault(prefix, i)
    if not counts:
        return None
    return max(counts, key=lambda p: (counts[p], -first[p]))


def path_prefix(paths: Sequence[str]) -> str:
    """A prefix from the paths alone, for files without usable history.

    One file, or files sharing directory and stem: `<dir>: <stem>` of its
    parent directory's name (`mm/slab.c` -> `mm: slab`). Several: the name
    of their deepest common directory, after its parent's name
    (`drivers/gpu/drm/i915/...` -> `drm: i915`). Without a common
    directory: as for the first file alone.
    """
    pure = [PurePosixPath(p) for p in paths]
    first = pure[0]
    if all(p.parent == first.parent and p.stem == first.stem for p in pure):
        return f'{first.parent.name}: {first.stem}' if first.parent.name else first.stem
    common = PurePosixPath(*_common_parts([p.parent.parts for p in pure]))
    if not common.parts:
        return path_prefix([paths[0]])
    return f'{common.parent.name}: {common.name}' if common.parent.name else common.name


def _common_parts(parts: list[tuple[str, ...]]) -> tuple[str, ...]:
    common = parts[0]
    for p in parts[1:]:
        n = 0
        while n < len(common) and n < len(p) and common[n] == p[n]:
            n += 1
        common = common[:n]
    return common


def distinct(prefixes: Sequence[str], paths: Sequence[Sequence[str]]) -> list[str]:
    """`prefixes`, where several are alike each made specific by its paths.

    Two groups of one directory can get one prefix (`rust/helpers/mutex.c`
    and `rust/helpers/err.c`, with different maintainers, are both `rust:
    helpers`), and their patches would then have the same subject. Each of
    those gets the stems of its files: `rust: helpers: mutex, spinlock`. If
    that still leaves two alike, they stay as they were.
    """
    counts = Counter(prefixes)
    specific = [
        f'{prefix}: {", ".join(dict.fromkeys(PurePosixPath(p).stem for p in files))}'
        if counts[prefix] > 1 else prefix
        for prefix, files in zip(prefixes, paths)
    ]
    return specific if len(set(specific)) == len(specific) else list(prefixes)
