"""Which helper files go into which patch, and under what tag. Pure.

The default puts the files under the same most specific MAINTAINERS
section into one group (the caller resolves sections, ignoring the
catch-all RUST section when a more specific one matches): they go to the
same people, so one patch is what those people would ask for. A group's
tag is the first Rust module that its section lists under rust/kernel/, a
`NAME.rs` file or a `NAME/` directory (`F: rust/kernel/sync/lock.rs` gives
`sync`; `rust/kernel/generated_arch_static_branch_asm.rs.S` is no module
and is passed over). A section without one is tagged with its files'
stems (`slab, vmalloc`). A file without a section of its own is a group by
itself, tagged with its stem. Groups that end up with the same tag become
one patch. The tags name patches the way subsystem maintainers usually
prefix Rust commits; `--groups` overrides the grouping by hand.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from codemod.plumbing.errors import PathError

RUST_KERNEL = 'rust/kernel/'
HELPERS = 'rust/helpers/'


@dataclass(frozen=True)
class Group:
    tag: str
    files: tuple[str, ...]


# (section name, its F: patterns) of a file's most specific section, or None.
SectionOf = Callable[[str], 'tuple[str, Sequence[str]] | None']


def module_tag(patterns: Sequence[str]) -> str | None:
    """The first Rust module a section lists under rust/kernel/: `NAME.rs`,
    or `NAME/` (a directory pattern, or a path inside it); never another
    file (`NAME.rs.S`) or a glob."""
    for pattern in patterns:
        if not pattern.startswith(RUST_KERNEL):
            continue
        first, inside, _ = pattern[len(RUST_KERNEL):].partition('/')
        if not inside and not first.endswith('.rs'):
            continue
        module = first if inside else first[:-len('.rs')]
        if module.isidentifier():
            return module
    return None


def stem(path: str) -> str:
    return PurePosixPath(path).stem


def _merge(tagged: list[tuple[str, str]]) -> list[Group]:
    by_tag: dict[str, list[str]] = {}
    for tag, path in tagged:
        by_tag.setdefault(tag, []).append(path)
    return [Group(tag, tuple(sorted(set(paths)))) for tag, paths in sorted(by_tag.items())]


def stems_tag(paths: Sequence[str]) -> str:
    """`slab, vmalloc`: the files' stems, each once, in order."""
    return ', '.join(dict.fromkeys(stem(p) for p in sorted(paths)))


def by_section(paths: Sequence[str], section_of: SectionOf) -> list[Group]:
    tagged = []
    sections: dict[str, tuple[Sequence[str], list[str]]] = {}
    for path in paths:
        section = section_of(path)
        if section is None:
            tagged.append((stem(path), path))
        else:
            sections.setdefault(section[0], (section[1], []))[1].append(path)
    for patterns, files in sections.values():
        tag = module_tag(patterns) or stems_tag(files)
        tagged.extend((tag, path) for path in files)
    return _merge(tagged)


def by_file(paths: Sequence[str]) -> list[Group]:
    return _merge([(stem(p), p) for p in paths])


def by_key(paths: Sequence[str], key_of: Callable[[str], str]) -> list[Group]:
    """One group per distinct key (e.g. a MAINTAINERS section name), tag = key."""
    return _merge([(key_of(p), p) for p in paths])


def _glob(pattern: str) -> re.Pattern[str]:
    """A shell glob over whole paths: `*` and `?` stay inside one folder,
    `**/` is any number of folders, `[...]` a set."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith('**/', i):
            out.append('(?:.*/)?')
            i += 3
        elif pattern.startswith('**', i):
            out.append('.*')
            i += 2
        elif pattern[i] == '*':
            out.append('[^/]*')
            i += 1
        elif pattern[i] == '?':
            out.append('[^/]')
            i += 1
        elif pattern[i] == '[' and (end := pattern.find(']', i + 2)) != -1:
            body = pattern[i + 1:end]
            out.append('[' + ('^' + body[1:] if body[:1] == '!' else body).replace('\\', '\\\\') + ']')
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile(''.join(out) + r'\Z')


def _matches(entry: str, known: Sequence[str]) -> tuple[list[str], bool]:
    """(the known paths an entry names, whether it names them exactly):
    a file, a folder (with or without the trailing /) or a glob."""
    if any(c in entry for c in '*?['):
        rx = _glob(entry)
        return [p for p in known if rx.match(p)], False
    folder = entry.rstrip('/') + '/'
    inside = [p for p in known if p.startswith(folder)]
    if entry.endswith('/') or inside:
        return inside, False
    return [entry] if entry in known else [], True


def parse_manual(text: str, source: str, known: Sequence[str], *, base: str = HELPERS,
                 what: str = 'helper file', ignore_unknown: bool = False) -> dict[str, str]:
    """A --groups TOML file: `tag = ["rust/helpers/a.c", "net/", "*.c", ...]`
    → {path: tag}.

    Entries are files, folders or globs; those not starting with `base` are
    taken relative to it; `what` names the known paths in errors (split
    passes base='' and 'changed file'). An entry naming none of them is an
    error, or with `ignore_unknown` is skipped (split: one file serves many
    commits). A file named as itself belongs to that group even if a folder
    or glob of another names it too; two groups naming it alike is an error."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise PathError(source, f'not valid TOML: {e}') from None
    table = data.get('groups', data)
    exact: dict[str, str] = {}
    loose: dict[str, str] = {}
    for tag, entries in table.items():
        if not isinstance(entries, list) or not all(isinstance(f, str) for f in entries):
            raise PathError(source, f'{tag}: expected a list of {what} paths')
        for entry in entries:
            path = entry if entry.startswith(base) else base + entry
            found, is_exact = _matches(path, known)
            if not found and not ignore_unknown:
                raise PathError(source, f'{tag}: no {what} {path}')
            claims = exact if is_exact else loose
            for p in found:
                if claims.get(p, tag) != tag:
                    raise PathError(source, f'{p} is in two groups: {claims[p]} and {tag}')
                claims[p] = tag
    return {**loose, **exact}


def with_manual(paths: Sequence[str], manual: dict[str, str], fallback: list[Group]) -> list[Group]:
    """Hand-made tags first; files they don't mention keep their fallback tag."""
    tagged = [(manual[p], p) for p in paths if p in manual]
    tagged += [(g.tag, p) for g in fallback for p in g.files if p not in manual]
    return _merge(tagged)
