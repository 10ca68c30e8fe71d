"""git's xdiff, second step: slide each group of changed lines to its best place.

A port of xdl_change_compact with the indent heuristic: after Myers has
marked changed lines (codemod/xdiff.py), a group of them that could sit a
few lines higher or lower moves where git would put it, so that hunks
start and end where git's do.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from codemod.mail.xdiff import _Side


def _indent(line: bytes) -> int:
    ret = 0
    for c in line:
        if c not in b' \t\n\r':
            return ret
        if c == 32:
            ret += 1
        elif c == 9:
            ret += 8 - ret % 8
        if ret >= 200:
            return 200
    return -1  # only whitespace


def _blank_run(side: _Side, indices: range) -> tuple[int, int]:
    """(blank lines, indent of the first non-blank) along `indices`; xdiff
    stops counting at 20 blank lines and then calls the indent 0."""
    blank, indent = 0, -1
    for i in indices:
        indent = _indent(side.lines[i])
        if indent != -1:
            break
        blank += 1
        if blank == 20:
            return blank, 0
    return blank, indent


def _split_score(side: _Side, split: int) -> tuple[int, int]:
    """(effective indent, penalty) of splitting before line `split`."""
    end_of_file = split >= side.nrec
    indent = -1 if end_of_file else _indent(side.lines[split])
    pre_blank, pre_indent = _blank_run(side, range(split - 1, -1, -1))
    post_blank, post_indent = _blank_run(side, range(split + 1, side.nrec))
    penalty = 0
    if pre_indent == -1 and pre_blank == 0:
        penalty += 1  # start of file
    if end_of_file:
        penalty += 21
    post_blank = 1 + post_blank if indent == -1 else 0
    total_blank = pre_blank + post_blank
    penalty += -30 * total_blank + 6 * post_blank
    if indent == -1:
        indent = post_indent
    any_blanks = total_blank != 0
    if indent == -1 or pre_indent == -1 or indent == pre_indent:
        pass
    elif indent > pre_indent:
        penalty += 10 if any_blanks else -4
    elif post_indent != -1 and post_indent > indent:
        penalty += 17 if any_blanks else 24  # likely the start of a block
    else:
        penalty += 17 if any_blanks else 23  # likely the end of a block
    return indent, penalty


def _score_cmp(s1: tuple[int, int], s2: tuple[int, int]) -> int:
    return 60 * ((s1[0] > s2[0]) - (s1[0] < s2[0])) + (s1[1] - s2[1])


class _Group:
    def __init__(self, side: _Side) -> None:
        self.side = side
        self.start = self.end = 0
        while side.chg(self.end):
            self.end += 1

    def next(self) -> bool:
        side = self.side
        if self.end == side.nrec:
            return False
        self.start = self.end = self.end + 1
        while side.chg(self.end):
            self.end += 1
        return True

    def previous(self) -> bool:
        if self.start == 0:
            return False
        self.end = self.start = self.start - 1
        while self.side.chg(self.start - 1):
            self.start -= 1
        return True

    def slide_down(self) -> bool:
        side = self.side
        if self.end < side.nrec and side.ha[self.start] == side.ha[self.end]:
            side.mark(self.start, 0)
            side.mark(self.end)
            self.start += 1
            self.end += 1
            while side.chg(self.end):
                self.end += 1
            return True
        return False

    def slide_up(self) -> bool:
        side = self.side
        if self.start > 0 and side.ha[self.start - 1] == side.ha[self.end - 1]:
            self.start -= 1
            self.end -= 1
            side.mark(self.start)
            side.mark(self.end, 0)
            while side.chg(self.start - 1):
                self.start -= 1
            return True
        return False


def compact(side: _Side, other: _Side) -> None:
    """xdl_change_compact: slide each group of changed lines as far down as
    it goes (merging with neighbours), then back up to line up with a change
    in the other file, or else to where the indent heuristic likes it best."""
    g, go = _Group(side), _Group(other)
    while True:
        if g.end != g.start:
            while True:
                groupsize = g.end - g.start
                end_matching_other = -1
                while g.slide_up():
                    go.previous()
                earliest_end = g.end
                if go.end > go.start:
                    end_matching_other = g.end
                while g.slide_down():
                    go.next()
                    if go.end > go.start:
                        end_matching_other = g.end
                if groupsize == g.end - g.start:
                    break
            if g.end == earliest_end:
                pass
            elif end_matching_other != -1:
                while go.end == go.start:
                    g.slide_up()
                    go.previous()
            else:
                _slide_to_best_indent(side, g, go, groupsize, earliest_end)
        if not g.next():
            break
        go.next()


def _slide_to_best_indent(side: _Side, g: _Group, go: _Group, groupsize: int,
                          earliest_end: int) -> None:
    shift = max(earliest_end, g.end - groupsize - 1, g.end - 100)
    best_shift, best = -1, (0, 0)
    for shift in range(shift, g.end + 1):
        top = _split_score(side, shift)
        bottom = _split_score(side, shift - groupsize)
        score = (top[0] + bottom[0], top[1] + bottom[1])
        if best_shift == -1 or _score_cmp(score, best) <= 0:
            best, best_shift = score, shift
    while g.end > best_shift:
        g.slide_up()
        go.previous()
