"""The `--stat --summary` block of `git format-patch`, byte for byte.

Ports diff.c's show_stats (the name/graph width split and the scaling of
the +/- graph), the summary line's singular/plural rules, and diff_summary's
create/delete/rename/mode lines.
"""
from __future__ import annotations

from codemod.mail.diff import FileChange
from codemod.mail.diff import line_counts
from codemod.mail.diff import quote_path
from codemod.mail.diff import sorted_changes

MAIL_STAT_WIDTH = 72  # format-patch's MAIL_DEFAULT_WRAP


def pprint_rename(old: str, new: str) -> str:
    """`dir/{old => new}` as git names a rename (diff.c pprint_rename)."""
    qa, qb = quote_path(old), quote_path(new)
    if qa != old or qb != new:
        return f'{qa} => {qb}'
    a, b = old + '\0', new + '\0'  # the C code compares the terminators too
    len_a, len_b = len(old), len(new)
    pfx = 0
    i = 0
    while i < len_a and i < len_b and old[i] == new[i]:
        if old[i] == '/':
            pfx = i + 1
        i += 1
    sfx = 0
    ia, ib = len_a, len_b
    adjust = 1 if pfx else 0
    while pfx - adjust <= ia and pfx - adjust <= ib and a[ia] == b[ib]:
        if a[ia] == '/':
            sfx = len_a - ia
        ia -= 1
        ib -= 1
    a_mid = max(len_a - pfx - sfx, 0)
    b_mid = max(len_b - pfx - sfx, 0)
    if pfx + sfx:
        return f'{old[:pfx]}{{{old[pfx:pfx + a_mid]} => {new[pfx:pfx + b_mid]}}}{old[len_a - sfx:]}'
    return f'{old[:a_mid]} => {new[:b_mid]}'


def _print_name(change: FileChange) -> str:
    if change.is_rename:
        return pprint_rename(change.old_path, change.new_path)
    return quote_path(change.path)


def _scale_linear(it: int, width: int, max_change: int) -> int:
    # At least one column for any change: scale to width - 1, then add one.
    return 0 if not it else 1 + (it * (width - 1) // max_change)


def stat_lines(files: list[tuple[str, int, int]], width: int = MAIL_STAT_WIDTH) -> list[str]:
    """One ` name | N +-` line per (print name, added, deleted)."""
    if not files:
        return []
    max_len = max(len(name) for name, _, _ in files)
    max_change = max(added + deleted for _, added, deleted in files)
    number_width = len(str(max_change))
    width = max(width, 16 + 6 + number_width)
    graph_width = max_change
    name_width = max_len
    if name_width + number_width + 6 + graph_width > width:
        if graph_width > width * 3 // 8 - number_width - 6:
            graph_width = max(width * 3 // 8 - number_width - 6, 6)
        if name_width > width - number_width - 6 - graph_width:
            name_width = width - number_width - 6 - graph_width
        else:
            graph_width = width - number_width - 6 - name_width
    lines = []
    for name, added, deleted in files:
        prefix = ''
        room = name_width
        if name_width < len(name):
            prefix = '...'
            room = max(room - 3, 0)
            name = name[len(name) - room:]
            slash = name.find('/')
            if slash >= 0:
                name = name[slash:]
        padding = max(room - len(name), 0)
        add, delete = added, deleted
        if graph_width <= max_change:
            total = _scale_linear(add + delete, graph_width, max_change)
            if total < 2 and add and delete:
                total = 2  # one column each
            if add < delete:
                add = _scale_linear(add, graph_width, max_change)
                delete = total - add
            else:
                delete = _scale_linear(delete, graph_width, max_change)
                add = total - delete
        count = added + deleted
        lines.append(f' {prefix}{name}{" " * padding} | {count:>{number_width}}'
                     f'{" " if count else ""}{"+" * add}{"-" * delete}')
    return lines


def summary_line(files: int, insertions: int, deletions: int) -> str:
    """` 2 files changed, 3 insertions(+), 1 deletion(-)`."""
    if not files:
        return ' 0 files changed'
    out = f' {files} file changed' if files == 1 else f' {files} files changed'
    if insertions or deletions == 0:
        out += f', {insertions} insertion(+)' if insertions == 1 else f', {insertions} insertions(+)'
    if deletions or insertions == 0:
        out += f', {deletions} deletion(-)' if deletions == 1 else f', {deletions} deletions(-)'
    return out


def summary_lines(path: str, old_mode: str | None, new_mode: str | None, *, created: bool = False,
                  deleted: bool = False, moved: str | None = None, rewrite: int | None = None) -> list[str]:
    """git's `--summary` lines for one file (diff.c diff_summary).

    `moved` is a copy's or rename's line without its leading space
    (`rename a/{b => c} (100%)`); `rewrite` is a rewrite's dissimilarity.
    """
    if created:
        return [f' create mode {new_mode} {quote_path(path)}']
    if deleted:
        return [f' delete mode {old_mode} {quote_path(path)}']
    lines = []
    if moved:
        lines.append(f' {moved}')
    elif rewrite is not None:
        lines.append(f' rewrite {quote_path(path)} ({rewrite}%)')
    if old_mode and new_mode and old_mode != new_mode:
        mode = f' mode change {old_mode} => {new_mode}'
        lines.append(mode if moved or rewrite is not None else f'{mode} {quote_path(path)}')
    return lines


def mode_summary(change: FileChange) -> list[str]:
    """The `--summary` lines of one of our own changes (never a copy or rewrite)."""
    moved = f'rename {pprint_rename(change.old_path, change.new_path)} (100%)' if change.is_rename else None
    return summary_lines(change.path, change.old_mode, change.new_mode,
                         created=change.old is None, deleted=change.new is None, moved=moved)


def diffstat(changes: list[FileChange], width: int = MAIL_STAT_WIDTH) -> str:
    """The stat, summary line and summary lines, as format-patch prints them."""
    changes = sorted_changes(changes)
    if not changes:
        return ''  # diff_flush prints nothing at all for an empty diff
    files = [(_print_name(c), *line_counts(c)) for c in changes]
    lines = stat_lines(files, width)
    lines.append(summary_line(len(files), sum(f[1] for f in files), sum(f[2] for f in files)))
    for change in changes:
        lines.extend(mode_summary(change))
    return '\n'.join(lines) + '\n'
