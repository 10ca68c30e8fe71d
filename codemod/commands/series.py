"""The series command's edges: gather inputs from the tree, git and MAINTAINERS,
build the series (series.py, pure), and write the folder (outdir.py)."""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from dataclasses import replace
from pathlib import Path

from codemod.c_source import clangformat
from codemod.c_source import rewrite
from codemod.c_source.scan import scan_files
from codemod.commands import b4_branch
from codemod.commands import sending
from codemod.kernel import grouping
from codemod.kernel import macro_patch
from codemod.kernel import tree
from codemod.kernel.maintainers import routing
from codemod.mail import cover
from codemod.mail import reroll
from codemod.mail import series
from codemod.mail.diff import combine
from codemod.mail.diff import FileChange
from codemod.mail.diff import render
from codemod.plumbing import git
from codemod.plumbing import outdir
from codemod.plumbing.errors import EXIT_CLEAN
from codemod.plumbing.errors import PathError
from codemod.plumbing.text import plural


@dataclass(frozen=True)
class Options:
    tree: str | None = None
    output: str = 'patches'
    version: int | None = None
    group_by: str = 'section'
    groups: str | None = None
    macro_in: str = 'helpers.h'
    sender: str | None = None
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    title: str = series.DEFAULT_TITLE
    cover: str | None = None           # --cover FILE: the user's subject and body
    previous: str | None = None
    date: str | None = None
    force: bool = False
    b4_branch: str | None = None       # also make this `b4 prep` branch off HEAD


@dataclass(frozen=True)
class Result:
    output: Path
    files: list[series.SeriesFile]
    notes: list[str]
    branch: b4_branch.Branch | None = None


def _base_commit(root: Path) -> str | None:
    """HEAD, when the tree is a git work tree whose helpers are committed."""
    if git.toplevel(root) != root.resolve():
        return None
    if git.dirty_paths(root):
        return None
    return git.head(root)


def _section_of(index: routing.Maintainers):
    def section_of(path: str):
        section = index.most_specific(path)
        if section is None or section.is_catch_all:
            return None
        return section.name, section.files
    return section_of


def _groups(opts: Options, paths: list[str], all_paths: list[str], index) -> list[grouping.Group]:
    if opts.group_by == 'file':
        fallback = grouping.by_file(paths)
    else:
        fallback = grouping.by_section(paths, _section_of(index))
    if not opts.groups:
        return fallback
    try:
        text = Path(opts.groups).read_text('utf-8')
    except OSError as e:
        raise PathError(opts.groups, f'cannot read: {e.strerror}') from None
    manual = grouping.parse_manual(text, opts.groups, all_paths)
    return grouping.with_manual(paths, manual, fallback)


def _macro_changes(root: Path, place: str):
    helpers_c = root / macro_patch.HELPERS_C
    helpers_h = root / macro_patch.HELPERS_H
    for existing in (helpers_c, helpers_h):
        if existing.is_file() and macro_patch.defines_annotation(existing.read_bytes()):
            return []
    if not helpers_c.is_file():
        raise PathError(macro_patch.HELPERS_C, 'no such file: the macro patch includes the definition from it')
    if place == 'helpers.h' and helpers_h.exists():
        raise PathError(macro_patch.HELPERS_H, 'exists already; use --macro-in helpers.c')
    try:
        return macro_patch.changes(helpers_c.read_bytes(), place)
    except macro_patch.MacroPatchError as e:
        raise PathError(macro_patch.HELPERS_C, str(e).split(': ', 1)[-1]) from None


HISTORY_DEPTH = 500   # commits of a dropped patch's files searched for its subject


def _previous(folder: str, version: int | None) -> reroll.Previous:
    path = Path(folder)
    files = sorted(path.glob('*.patch')) if path.is_dir() else []
    if not files:
        raise PathError(folder, 'no previous series here (no *.patch files)')
    try:
        return reroll.read([(f.name, f.read_bytes()) for f in files], before=version)
    except OSError as e:
        raise PathError(folder, f'cannot read the previous series: {e.strerror}') from None


def _applied(root: Path, previous: reroll.Previous, current: list[reroll.Mail],
             settled: set[str]) -> dict[str, str]:
    """subject -> commit, for the previous patches that are gone from the
    series, whose files need nothing now, and whose subject the history of
    those files holds: the ones we may call merged."""
    if git.toplevel(root) != root.resolve():
        return {}
    now = {f for m in current for f in m.files}
    found = {}
    for p in previous.patches:
        if p.files and all(f in settled and f not in now for f in p.files):
            for sha, subject in git.log_commits(root, list(p.files), HISTORY_DEPTH):
                if subject == p.subject:
                    found[p.subject] = sha
                    break
    return found


def _settled(root: Path, helper_files, rewrites, skipped, macro) -> set[str]:
    """Paths that exist and need nothing from this series."""
    settled = {f.rel for f in helper_files} - {r.file.rel for r in rewrites} - {s.file.rel for s in skipped}
    if macro:
        settled -= {macro_patch.HELPERS_C, macro_patch.HELPERS_H}
    elif (root / macro_patch.HELPERS_H).is_file():
        settled.add(macro_patch.HELPERS_H)
    return settled


def _rendered_changes(root: Path, rewrites: list[rewrite.Rewrite], macro: list[tuple[str, bytes | None, bytes]],
                      ) -> tuple[dict[str, FileChange], list[FileChange], list[FileChange] | None]:
    """Every change of the series as git prints it, in one pass of git:
    the groups' files, the macro patch's, and the cover's base-to-tip
    changes of any file in two patches (helpers.c, with --macro-in helpers.c)."""
    groups = [FileChange(r.file.rel, r.file.rel, r.old, r.new) for r in rewrites]
    macro_changes = [FileChange(p, p, old, new) for p, old, new in macro]
    twice = {c.path for c in macro_changes} & {c.path for c in groups}
    base_to_tip = [c for c in combine([*macro_changes, *groups]) if c.path in twice]
    rendered = render([*groups, *macro_changes, *base_to_tip], tree.gitattributes(str(root)))
    n, m = len(groups), len(macro_changes)
    groups, macro_changes = rendered[:n], rendered[n:n + m]
    base_to_tip_rendered = None
    if twice:
        by_path = {c.path: c for c in rendered[n + m:]}
        base_to_tip_rendered = [by_path.get(c.path, c) for c in combine([*macro_changes, *groups])]
    return {c.path: c for c in groups}, macro_changes, base_to_tip_rendered


def _cover_text(path: str | None) -> tuple[str, str] | None:
    if path is None:
        return None
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise PathError(path, f'cannot read: {e.strerror}') from None
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError:
        raise PathError(path, 'not UTF-8 text') from None
    return cover.from_text(text, path)


def _grouping(opts: Options) -> str:
    return 'manual' if opts.groups else opts.group_by


def run(opts: Options) -> Result:
    root = Path(tree.find_tree(opts.tree))
    output = Path(opts.output)
    outdir.check_target(output)
    head = b4_branch.check(root, opts.b4_branch) if opts.b4_branch else None
    index = routing.load_tree(root)
    author = sending.sender(root, opts.sender)
    extra_to, extra_cc = sending.parse_recipients(opts.to, '--to'), sending.parse_recipients(opts.cc, '--cc')
    date = sending.series_date(opts.date)
    user_cover = _cover_text(opts.cover)
    previous = _previous(opts.previous, opts.version) if opts.previous else None
    # Like b4, a re-roll without -v is the previous version + 1.
    version = opts.version if opts.version is not None or previous is None else previous.version + 1
    outdir.check_target(output, opts.force, outdir.scheme_of(version),
                        previous=Path(opts.previous) if opts.previous else None)

    helper_files = tree.all_helper_files(root)
    scanned = scan_files(helper_files)
    with clangformat.Formatter(clangformat.style_text(root)) as formatter:
        rewrites, skipped = rewrite.plan(scanned, formatter, for_writing=False)
    paths = [r.file.rel for r in rewrites]
    groups = _groups(opts, paths, [f.rel for f in helper_files], index)
    macro = _macro_changes(root, opts.macro_in)
    generated = [series.Generated(s.file.rel, s.generator, s.count) for s in skipped]
    notes = [f'{g.path}: note: generated; change {g.generator or "its generator"} to emit __rust_helper'
             for g in generated]
    if not groups and not macro:
        return Result(output, [], notes + ['nothing to send: every helper is annotated'])

    tree_files = routing.TreeFiles(root)   # read only for .yaml files, whose addresses count

    def route(mail: bytes) -> series.Recipients:
        r = index.route_patch(mail, tree_files)
        return series.Recipients(r.to, r.cc)

    contents, macro_changes, combined = _rendered_changes(root, rewrites, macro)
    inp = series.SeriesInput(
        sender=author, date=date, groups=groups, contents=contents, combined=combined,
        macro_changes=macro_changes, route=route, version=version,
        title=user_cover[0] if user_cover else opts.title, cover_body=user_cover[1] if user_cover else None,
        grouping=_grouping(opts), helper_count=sum(r.count for r in rewrites),
        extra_to=extra_to, extra_cc=extra_cc, base_commit=_base_commit(root),
        change_id=previous.cover_change_id if previous else None, generated=generated,
    )
    files = series.build(inp)
    if previous is not None:
        current = [reroll.mail_of(f.subject, f.data) for f in files[1:]]
        settled = _settled(root, helper_files, rewrites, skipped, macro)
        text = reroll.changes(previous, current, settled=settled,
                              applied=_applied(root, previous, current, settled), base_commit=inp.base_commit)
        files = series.build(replace(inp, changes_text=text))
    elif version is not None and version > 1:
        notes.append(f'note: no "Changes in v{version}" without --previous DIR; write them in --cover FILE')
    branch = None
    if head is not None:
        branch = b4_branch.commits(root, opts.b4_branch, head, files, series.series_change_id(inp),
                                   version or 1, author, date, opts.to, opts.cc)
    outdir.write_series(output, [(f.name, f.data) for f in files], opts.force,
                        previous=Path(opts.previous) if opts.previous else None)
    if branch is not None:
        b4_branch.publish(root, branch)
    return Result(output, files, notes, branch)


def main(args: argparse.Namespace) -> int:
    result = run(_options(args))
    for note in result.notes:
        print(note, file=sys.stderr)
    for f in result.files:
        print(result.output / f.name)
    if result.files:
        print(f'wrote {plural(len(result.files) - 1, "patch")} and a cover letter to {result.output}/',
              file=sys.stderr)
    if result.branch is not None:
        print(f'created branch {result.branch.name}: a cover commit and {plural(len(result.files) - 1, "patch")} '
              f'on {result.branch.base[:12]}, for b4 prep and b4 send', file=sys.stderr)
    return EXIT_CLEAN


def _options(args: argparse.Namespace) -> Options:
    return Options(**sending.options_of(args))
