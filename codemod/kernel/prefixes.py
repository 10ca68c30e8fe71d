"""Subject prefixes (`rust: sync:`) for the patches of a split.

From the files' git history when it has one (`history_prefix`), else from
their paths (`path_prefix`); `distinct` keeps two patches of one series from
sharing a prefix, and so a subject.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
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


# Top directories too broad to prefix a subject by themselves.
GENERIC_DIRS = frozenset({'kernel', 'drivers'})
# Where a section's own code does not live: headers, docs, per-arch copies.
_NOT_HOME = ('include/', 'Documentation/', 'arch/', 'tools/', 'scripts/', 'samples/', 'rust/')
HomeOf = Callable[[str], 'str | None']


def home_of(patterns: Sequence[str]) -> str | None:
    """The directory a MAINTAINERS section's code lives in, by name: of the
    first F: pattern outside include/, Documentation/, arch/ ..., its last
    literal directory (`kernel/locking/` -> locking, `mm/sl?b*` -> mm);
    None for a generic one (`kernel/jump_label.c`)."""
    for pattern in patterns:
        if pattern.startswith(_NOT_HOME):
            continue
        literal = []
        for part in pattern.split('/')[:-1]:
            if any(c in part for c in '*?['):
                break
            literal.append(part)
        if len(literal) > 1 or (literal and literal[0] not in GENERIC_DIRS):
            return literal[-1]
    return None


def _is_header(path: PurePosixPath) -> bool:
    return path.parts[0] == 'include' and path.suffix == '.h'


def _is_doc(path: PurePosixPath) -> bool:
    return path.parts[0] == 'Documentation'


def _docs_prefix(pure: list[PurePosixPath]) -> str:
    """`docs: rust` for Documentation/rust/..., the kernel's prefix for docs."""
    areas = {p.parts[1] if len(p.parts) > 2 else p.stem for p in pure if len(p.parts) > 1}
    return f'docs: {areas.pop()}' if len(areas) == 1 else 'docs'


def _headers_prefix(pure: list[PurePosixPath], home: HomeOf | None) -> str:
    """`locking/mutex` for include/linux/mutex.h when its section's code is
    in kernel/locking/, as that subsystem prefixes its commits; else the
    header's stem (`jump_label`)."""
    homes = {home(str(p)) if home else None for p in pure}
    stems = {p.stem for p in pure}
    subsystem = homes.pop() if len(homes) == 1 else None
    if subsystem is None:
        return pure[0].stem
    if len(stems) > 1 or stems == {subsystem}:
        return subsystem
    return f'{subsystem}/{stems.pop()}'


def _one_file_prefix(path: PurePosixPath) -> str:
    """`<dir>: <stem>`; a file named after its folder is the folder
    (`rust/helpers/helpers.c` -> `rust: helpers`, not `helpers: helpers`)."""
    folder = path.parent
    if not folder.name:
        return path.stem
    if path.stem != folder.name:
        return f'{folder.name}: {path.stem}'
    upper = folder.parent.name
    return f'{upper}: {folder.name}' if upper and upper not in GENERIC_DIRS else folder.name


def path_prefix(paths: Sequence[str], home: HomeOf | None = None) -> str:
    """A prefix from the paths alone, for files without usable history.

    Documentation/X/...: `docs: X`. Headers under include/: their
    subsystem's `<home>/<stem>` (`home` gives a path's subsystem directory,
    see home_of), else their stem. Other files decide for a group that
    mixes them with headers or docs: one file, or files sharing directory
    and stem, are `<dir>: <stem>` (`mm/slab.c` -> `mm: slab`,
    `kernel/locking/mutex.c` with its header -> `locking: mutex`); several are
    named by their deepest common directory, after its parent's name
    (`drivers/gpu/drm/i915/...` -> `drm: i915`); without a common
    directory, as the first of them alone.
    """
    pure = [PurePosixPath(p) for p in paths]
    code = [p for p in pure if not _is_header(p) and not _is_doc(p)]
    if not code:
        headers = [p for p in pure if _is_header(p)]
        return _headers_prefix(headers, home) if headers else _docs_prefix(pure)
    first = code[0]
    if all(p.parent == first.parent and p.stem == first.stem for p in code):
        return _one_file_prefix(first)
    common = PurePosixPath(*_common_parts([p.parent.parts for p in code]))
    if not common.parts:
        return _one_file_prefix(first)
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
