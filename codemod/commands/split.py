"""The split command's edges: read the change (a commit, a diff, a mail),
group its files by MAINTAINERS, name the groups from git history, build the
series (split.py, pure) and write the folder (outdir.py)."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from codemod.commands import sending
from codemod.kernel import grouping
from codemod.kernel import prefixes
from codemod.kernel import tree
from codemod.kernel.maintainers import routing
from codemod.mail import incoming
from codemod.mail import split
from codemod.mail.mbox import format_subject
from codemod.mail.mbox import Ident
from codemod.mail.routed import Recipients
from codemod.mail.series import SeriesFile
from codemod.plumbing import git
from codemod.plumbing import outdir
from codemod.plumbing.errors import EXIT_CLEAN
from codemod.plumbing.errors import PathError
from codemod.plumbing.text import plural

HISTORY_DEPTH = 200      # subjects per group, as `git log -n 200 -- FILES`
PATHSPEC_LIMIT = 64      # more files than this: one walk without pathspecs ...
WALK_BUDGET = 20000      # ... over at most this many commits
PARALLEL_DIFF_MIN = 200  # fewer changed files than this: one `git diff-tree`
MAX_DIFF_JOBS = 8
MAX_PATHSPECS = 256      # directories (or files) naming the slices, in all

EXPLANATIONS = {
    'section': ('Split by MAINTAINERS: one patch per section (the most specific one of each '
                'file), each sent to that section\'s maintainers and lists. Applied in order, '
                'the patches give the same tree as the original change.'),
    'file': ('Split into one patch per file, each sent to the maintainers and lists of that '
             'file. Applied in order, the patches give the same tree as the original change.'),
}


@dataclass(frozen=True)
class Options:
    source: str                       # REV, a .patch/.mbox file, or '-' for stdin
    tree: str | None = None
    output: str = 'patches'
    version: int | None = None
    group_by: str = 'section'
    groups: str | None = None
    sender: str | None = None
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    subject: str | None = None
    date: str | None = None
    force: bool = False


@dataclass(frozen=True)
class Result:
    output: Path
    files: list[SeriesFile]
    parts: list[split.Part]


@dataclass(frozen=True)
class _Input:
    subject: str | None
    body: str
    author: Ident | None
    date: datetime | None
    files: list[split.FileDiff]
    history_base: str | None          # where `git log` starts for prefixes
    base_commit: str | None           # the parent of a REV, for the cover's base-commit:


def _root(tree_arg: str | None) -> Path:
    """The top of the kernel tree that --tree (default: the working
    directory) is in: the nearest directory, it or a parent, with MAINTAINERS."""
    start = Path(tree_arg if tree_arg is not None else '.').resolve()
    if not start.is_dir():
        raise PathError(tree_arg or '.', 'no such directory')
    top = tree.find_top(start, lambda d: os.path.isfile(os.path.join(d, 'MAINTAINERS')))
    return Path(top) if top is not None else start


def _is_git_top(root: Path) -> bool:
    return git.is_repo(root) and git.toplevel(root) == root


# --- reading the change ---------------------------------------------------------

def _jobs() -> int:
    try:
        return max(1, min(len(os.sched_getaffinity(0)), MAX_DIFF_JOBS))
    except AttributeError:
        return max(1, min(os.cpu_count() or 1, MAX_DIFF_JOBS))


def diff_slices(raw: Sequence[git.RawChange], weights: Sequence[int], jobs: int) -> list[list[str]]:
    """Pathspecs that cut the change into about `jobs` slices of equal weight.

    A pathspec names a directory or a file; there are few of them, because
    git matches every tree entry against every pathspec. A directory
    heavier than half a slice is cut into its entries, as far as needed.
    Both sides of a rename or copy land in the same slice, so that git
    pairs them there as in the whole change."""
    files = [(tuple(c.new_path.split('/')), w) for c, w in zip(raw, weights)]
    files += [(tuple(c.old_path.split('/')), 0) for c in raw if c.old_path != c.new_path]
    target = max(sum(weights) / jobs / 2, 1)
    units: dict[tuple[str, ...], list[int]] = {}   # prefix -> indices into files
    for i, (parts, _) in enumerate(files):
        units.setdefault(parts[:1], []).append(i)
    while len(units) < MAX_PATHSPECS:
        heavy = [(sum(files[i][1] for i in members), prefix) for prefix, members in units.items()
                 if any(len(files[i][0]) > len(prefix) for i in members)]
        heavy = [(w, prefix) for w, prefix in heavy if w > target]
        if not heavy:
            break
        _, prefix = max(heavy)
        for i in units.pop(prefix):
            units.setdefault(files[i][0][:len(prefix) + 1], []).append(i)
    unit_of = {files[i][0]: prefix for prefix, members in units.items() for i in members}
    # Both sides of a rename in one unit: a union of units.
    leader = {prefix: prefix for prefix in units}

    def find(u):
        while leader[u] != u:
            leader[u] = leader[leader[u]]
            u = leader[u]
        return u

    for c in raw:
        if c.old_path != c.new_path:
            a, b = find(unit_of[tuple(c.old_path.split('/'))]), find(unit_of[tuple(c.new_path.split('/'))])
            if a != b:
                leader[max(a, b)] = min(a, b)
    merged: dict[tuple[str, ...], tuple[int, list[str]]] = {}
    for prefix, members in units.items():
        w, specs = merged.get(find(prefix), (0, []))
        merged[find(prefix)] = (w + sum(files[i][1] for i in members), specs + ['/'.join(prefix)])
    slices: list[tuple[int, list[str]]] = [(0, []) for _ in range(jobs)]
    for w, specs in sorted(merged.values(), key=lambda m: (-m[0], m[1])):
        lightest = min(range(jobs), key=lambda j: slices[j][0])
        slices[lightest] = (slices[lightest][0] + w, slices[lightest][1] + specs)
    return [sorted(specs) for _, specs in slices if specs]


def _commit_diff(root: Path, sha: str, raw: list[git.RawChange]) -> bytes:
    """`git diff-tree -p` of the commit; a big one in slices, one git per CPU."""
    jobs = _jobs()
    if len(raw) < PARALLEL_DIFF_MIN or jobs == 1:
        return git.commit_diff(root, sha)
    oids = [c.new_oid if c.status != 'D' else c.old_oid for c in raw]
    slices = diff_slices(raw, git.object_sizes(root, oids), jobs)
    with ThreadPoolExecutor(max_workers=len(slices)) as pool:
        return b''.join(pool.map(lambda specs: git.commit_diff(root, sha, specs), slices))


def _from_rev(root: Path, rev: str, sha: str) -> _Input:
    info = git.commit_info(root, sha)
    if len(info.parents) > 1:
        raise PathError(rev, 'is a merge commit: split takes a commit with one parent')
    raw = git.commit_raw_changes(root, sha)
    if not raw:
        raise PathError(rev, 'changes no files: nothing to split')
    files = split.file_diffs(incoming.parse(_commit_diff(root, sha, raw), rev)[0].diff, rev)
    expected: list[tuple[str | None, str | None]] = []
    for c in raw:
        if c.status == 'T':   # a type change shows as a deletion and a creation
            expected += [(c.old_path, None), (None, c.new_path)]
        else:
            expected.append((c.old_path if c.status != 'A' else None, c.new_path if c.status != 'D' else None))
    if len(raw) >= PARALLEL_DIFF_MIN and sorted(expected, key=str) != sorted(
            ((f.old_path, f.new_path) for f in files), key=str):
        # The slices paired renames differently (git's rename limit): do it whole.
        files = split.file_diffs(incoming.parse(git.commit_diff(root, sha), rev)[0].diff, rev)
    order = {pair: i for i, pair in enumerate(expected)}
    files.sort(key=lambda f: order.get((f.old_path, f.new_path), len(order)))
    subject, rest = format_subject(info.message)
    parent = info.parents[0] if info.parents else None
    return _Input(subject or None, rest, Ident(*info.author), info.author_date, files, parent, parent)


def _from_bytes(root: Path, data: bytes, source: str) -> _Input:
    patches = [p for p in incoming.parse(data, source) if len(p.diff)]
    if len(patches) > 1:
        raise PathError(source, f'{len(patches)} patches in the input: split takes one change '
                                '(`git format-patch -1`, or squash them first)')
    p = patches[0]
    base = git.head(root) if _is_git_top(root) else None
    return _Input(p.subject, p.message, p.author, p.date, split.file_diffs(p.diff, source), base, None)


def read_change(root: Path, source: str, stdin: BinaryIO | None = None) -> _Input:
    """The change named by `source`: '-' (stdin), a file, or a commit of the tree's repo."""
    if source == '-':
        stream = stdin if stdin is not None else sys.stdin.buffer
        return _from_bytes(root, stream.read(), '<stdin>')
    path = Path(source)
    if path.is_file():
        try:
            data = path.read_bytes()
        except OSError as e:
            raise PathError(source, f'cannot read: {e.strerror}') from None
        return _from_bytes(root, data, source)
    if path.exists():
        raise PathError(source, 'not a file: expected a commit, a .patch or .mbox file, or -')
    if not git.is_repo(root):
        raise PathError(source, f'no such file, and {root} is not a git repository to find a commit in')
    sha = git.rev_parse(root, source)
    if sha is None:
        raise PathError(source, f'no such file, and no such commit in {root}')
    if not _is_git_top(root):
        raise PathError(root, 'a commit needs --tree to be the top of its git repository')
    return _from_rev(root, source, sha)


# --- groups and prefixes ----------------------------------------------------------

def _manual(opts: Options, files: Sequence[split.FileDiff]) -> dict[str, str]:
    if not opts.groups:
        return {}
    try:
        text = Path(opts.groups).read_text('utf-8')
    except OSError as e:
        raise PathError(opts.groups, f'cannot read: {e.strerror}') from None
    return grouping.parse_manual(text, opts.groups, [f.path for f in files], base='', what='changed file',
                                 ignore_unknown=True)


def history_subjects(root: Path, base: str | None, owners: dict[str, str],
                     wanted: set[str], skip: str | None = None) -> dict[str, list[str]]:
    """Up to HISTORY_DEPTH subjects, newest first, of the commits before the
    change that touch each group's files. `owners`: path -> group tag;
    commits whose subject is `skip` (the change itself, when a mail of a
    commit already in the history is split) are left out.

    One `git log` for all groups: with pathspecs for a small change, else
    over the last WALK_BUDGET commits, stopping once every group has its
    subjects."""
    subjects: dict[str, list[str]] = {tag: [] for tag in wanted}
    if base is None or not wanted:
        return subjects
    paths = [p for p, tag in owners.items() if tag in wanted]
    few = len(paths) <= PATHSPEC_LIMIT
    walk = git.log_paths(root, base, paths if few else None, None if few else WALK_BUDGET)
    pending = set(wanted)
    try:
        for subject, changed in walk:
            if subject == skip:
                continue
            for tag in {owners.get(p) for p in changed} & pending:
                subjects[tag].append(subject)
                if len(subjects[tag]) >= HISTORY_DEPTH:
                    pending.discard(tag)
            if not pending:
                break
    finally:
        walk.close()
    return subjects


def plan(root: Path, opts: Options, change: _Input, index, subject: str) -> list[split.Part]:
    """The parts: files grouped by section (or file, or --groups), named
    by the groups' history, else by their paths."""
    manual = _manual(opts, change.files)

    def key_of(f: split.FileDiff) -> str:
        if f.path in manual:
            return manual[f.path]
        if opts.group_by == 'file':
            return f.path
        section = index.most_specific(f.path)
        return section.name if section is not None else f.path

    groups = split.group(change.files, key_of)
    manual_tags = set(manual.values())
    owners = {p: g.tag for g, members in groups for f in members for p in f.paths}
    wanted = {g.tag for g, _ in groups if g.tag not in manual_tags}
    subjects = history_subjects(root, change.history_base, owners, wanted, skip=subject)

    def home(path: str) -> str | None:
        section = index.most_specific(path)
        return prefixes.home_of(section.files) if section is not None and not section.is_catch_all else None

    def prefix_of(g: grouping.Group) -> str:
        if g.tag in manual_tags:
            return g.tag
        return prefixes.history_prefix(subjects[g.tag]) or prefixes.path_prefix(g.files, home)

    return split.parts_of(groups, prefix_of)


def run(opts: Options, stdin: BinaryIO | None = None) -> Result:
    root = _root(opts.tree)
    output = Path(opts.output)
    outdir.check_target(output, opts.force, outdir.scheme_of(opts.version))
    index = routing.load_tree(root)
    sender = sending.sender(root, opts.sender)
    extra_to, extra_cc = sending.parse_recipients(opts.to, '--to'), sending.parse_recipients(opts.cc, '--cc')
    date = sending.series_date(opts.date)
    change = read_change(root, opts.source, stdin)
    subject = opts.subject or change.subject
    if not subject:
        raise PathError(opts.source, 'a plain diff has no commit message: pass --subject "prefix: summary"')
    parts = plan(root, opts, change, index, subject)

    contents = routing.TreeFiles(root)   # read only for .yaml files, whose addresses count

    def route(mail: bytes) -> Recipients:
        r = index.route_patch(mail, contents)
        return Recipients(r.to, r.cc)

    inp = split.SplitInput(
        change=split.Change(subject, change.body, change.author or sender, change.date or date, change.files),
        parts=parts, route=route, sender=sender, date=date, version=opts.version,
        extra_to=extra_to, extra_cc=extra_cc, base_commit=change.base_commit,
        explanation='' if opts.groups else EXPLANATIONS[opts.group_by],
    )
    files = split.build(inp)
    outdir.write_series(output, [(f.name, f.data) for f in files], opts.force)
    return Result(output, files, parts)


def main(args: argparse.Namespace) -> int:
    result = run(_options(args))
    for f in result.files:
        print(result.output / f.name)
    print(f'wrote {plural(len(result.files) - 1, "patch")} and a cover letter to {result.output}/',
          file=sys.stderr)
    return EXIT_CLEAN


def _options(args: argparse.Namespace) -> Options:
    return Options(**sending.options_of(args))
