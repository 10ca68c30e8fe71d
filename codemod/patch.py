"""Per-file diffs byte for byte as `git diff` / `git format-patch` print them.

Pure functions over bytes, no I/O. The line diff is a port of git's xdiff
(Myers with its discarding of unmatched lines, its cost heuristics and the
indent heuristic that slides ambiguous hunks), because another LCS gives the
same line counts but differently placed hunks, and a series we write must be
what `git format-patch` would have sent for the same commits.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import NamedTuple

NULL_OID = '0' * 40


def blob_hash(data: bytes) -> str:
    """The object id git gives `data` as a blob (SHA-1 repositories)."""
    return hashlib.sha1(b'blob %d\0' % len(data) + data).hexdigest()


@dataclass(frozen=True)
class FileChange:
    """One file of a commit. `old` None: created; `new` None: deleted."""

    old_path: str
    new_path: str
    old: bytes | None
    new: bytes | None
    old_mode: str = '100644'
    new_mode: str = '100644'
    # The path's `diff` attribute (kernel: 'cpp' for *.[ch], 'rust' for *.rs);
    # it picks the pattern for hunk headings. None: git's default rule.
    driver: str | None = None

    @property
    def path(self) -> str:
        """The path git sorts and names this change by."""
        return self.old_path if self.new is None else self.new_path

    @property
    def is_rename(self) -> bool:
        return self.old is not None and self.new is not None and self.old_path != self.new_path

    @property
    def is_noop(self) -> bool:
        """Nothing to show: git leaves such a file out of diffs and stats."""
        return (self.old == self.new and self.old_path == self.new_path
                and (self.old is None or self.old_mode == self.new_mode))


def sorted_changes(changes: list[FileChange]) -> list[FileChange]:
    """The changes git would show, in its order: by path bytes (which is its
    tree order for full paths)."""
    return sorted((c for c in changes if not c.is_noop), key=lambda c: _b(c.path))


# --- quoting (git's quote_c_style with core.quotePath=true) ------------------

_C_ESCAPES = {7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 34: '"', 92: '\\'}


def _b(path: str) -> bytes:
    return path.encode('utf-8', 'surrogateescape')


def _needs_quote(raw: bytes) -> bool:
    return any(c < 0x20 or c >= 0x7f or c in (34, 92) for c in raw)


def quote_path(path: str, prefix: str = '') -> str:
    """`prefix + path`, C-quoted as a whole when git would quote it."""
    raw = _b(prefix + path)
    if not _needs_quote(raw):
        return prefix + path
    out = []
    for c in raw:
        if c in _C_ESCAPES:
            out.append('\\' + _C_ESCAPES[c])
        elif c < 0x20 or c >= 0x7f:
            out.append('\\%03o' % c)
        else:
            out.append(chr(c))
    return '"' + ''.join(out) + '"'


# --- xdiff: records, classes, discarding -------------------------------------

def split_lines(data: bytes) -> list[bytes]:
    """Lines with their '\\n' (only '\\n' ends a line, as in xdiff)."""
    parts = data.split(b'\n')
    lines = [p + b'\n' for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


class _Side:
    """One file as xdiff sees it: records, equivalence classes, change marks."""

    def __init__(self, lines: list[bytes], classes: list[int]) -> None:
        self.lines = lines
        self.ha = classes
        self.nrec = len(lines)
        self._rchg = bytearray(self.nrec + 2)  # [0] and [-1] are sentinels
        self.rindex: list[int] = []
        self.reff: list[int] = []  # classes of the records left for Myers

    def chg(self, i: int) -> int:
        return self._rchg[i + 1]

    def mark(self, i: int, value: int = 1) -> None:
        self._rchg[i + 1] = value


def _bogosqrt(n: int) -> int:
    i = 1
    while n > 0:
        i <<= 1
        n >>= 2
    return i


def _run_around(dis: list[int], indices: range) -> tuple[int, int]:
    """(unmatched, 1 + multi-matched) lines before the first single match."""
    unmatched, multi = 0, 1
    for j in indices:
        if dis[j] == 1:
            break
        if dis[j] == 0:
            unmatched += 1
        else:
            multi += 1
    return unmatched, multi


def _clean_mmatch(dis: list[int], i: int, s: int, e: int) -> bool:
    """Whether multi-match line i sits among unmatched lines (xdiff's
    xdl_clean_mmatch, which looks at most 100 lines each way)."""
    before, multi_before = _run_around(dis, range(i - 1, max(s, i - 100) - 1, -1))
    if before == 0:
        return False
    after, multi_after = _run_around(dis, range(i + 1, min(e, i + 100) + 1))
    if after == 0:
        return False
    multi = multi_before + multi_after
    return multi * 4 < multi + before + after


def _prepare(old: list[bytes], new: list[bytes]) -> tuple[_Side, _Side]:
    ids: dict[bytes, int] = {}
    c1 = [ids.setdefault(line, len(ids)) for line in old]
    c2 = [ids.setdefault(line, len(ids)) for line in new]
    count1 = [0] * len(ids)
    count2 = [0] * len(ids)
    for c in c1:
        count1[c] += 1
    for c in c2:
        count2[c] += 1
    x1, x2 = _Side(old, c1), _Side(new, c2)
    # xdl_trim_ends: the common head and tail never reach the Myers search.
    lim = min(x1.nrec, x2.nrec)
    start = 0
    while start < lim and c1[start] == c2[start]:
        start += 1
    tail = 0
    while tail < lim - start and c1[-1 - tail] == c2[-1 - tail]:
        tail += 1
    # xdl_cleanup_records: lines without a match are changed outright, and
    # lines with very many matches too when they sit among unmatched ones.
    for side, classes, other_count in ((x1, c1, count2), (x2, c2, count1)):
        dend = side.nrec - tail - 1
        mlim = min(_bogosqrt(side.nrec), 1024)
        dis = [0] * (side.nrec + 1)
        for i in range(start, dend + 1):
            nm = other_count[classes[i]]
            dis[i] = 0 if nm == 0 else 2 if nm >= mlim else 1
        for i in range(start, dend + 1):
            if dis[i] == 1 or (dis[i] == 2 and not _clean_mmatch(dis, i, start, dend)):
                side.rindex.append(i)
                side.reff.append(classes[i])
            else:
                side.mark(i)
    return x1, x2


# --- xdiff: Myers with divide and conquer ------------------------------------

_SNAKE_CNT = 20
_HEUR_MIN_COST = 256
_K_HEUR = 4
_LINE_MAX = 1 << 62


_Split = tuple[int, int, bool, bool]  # i1, i2, and whether each half needs a minimal diff


def _split(ha1: list[int], off1: int, lim1: int, ha2: list[int], off2: int, lim2: int,
           kvdf: list[int], kvdb: list[int], base: int, need_min: bool, mxcost: int) -> _Split:
    """xdl_split: the middle snake, or a good-enough split when it is costly.
    kvdf/kvdb hold the furthest forward/backward path per diagonal d at
    index base + d."""
    dmin, dmax = off1 - lim2, lim1 - off2
    fmid, bmid = off1 - off2, lim1 - lim2
    odd = (fmid - bmid) & 1
    fmin = fmax = fmid
    bmin = bmax = bmid
    kvdf[base + fmid] = off1
    kvdb[base + bmid] = lim1
    ec = 0
    while True:
        ec += 1
        got_snake = False
        if fmin > dmin:
            fmin -= 1
            kvdf[base + fmin - 1] = -1
        else:
            fmin += 1
        if fmax < dmax:
            fmax += 1
            kvdf[base + fmax + 1] = -1
        else:
            fmax -= 1
        for d in range(fmax, fmin - 1, -2):
            if kvdf[base + d - 1] >= kvdf[base + d + 1]:
                i1 = kvdf[base + d - 1] + 1
            else:
                i1 = kvdf[base + d + 1]
            prev1 = i1
            i2 = i1 - d
            while i1 < lim1 and i2 < lim2 and ha1[i1] == ha2[i2]:
                i1 += 1
                i2 += 1
            if i1 - prev1 > _SNAKE_CNT:
                got_snake = True
            kvdf[base + d] = i1
            if odd and bmin <= d <= bmax and kvdb[base + d] <= i1:
                return i1, i2, True, True
        if bmin > dmin:
            bmin -= 1
            kvdb[base + bmin - 1] = _LINE_MAX
        else:
            bmin += 1
        if bmax < dmax:
            bmax += 1
            kvdb[base + bmax + 1] = _LINE_MAX
        else:
            bmax -= 1
        for d in range(bmax, bmin - 1, -2):
            if kvdb[base + d - 1] < kvdb[base + d + 1]:
                i1 = kvdb[base + d - 1]
            else:
                i1 = kvdb[base + d + 1] - 1
            prev1 = i1
            i2 = i1 - d
            while i1 > off1 and i2 > off2 and ha1[i1 - 1] == ha2[i2 - 1]:
                i1 -= 1
                i2 -= 1
            if prev1 - i1 > _SNAKE_CNT:
                got_snake = True
            kvdb[base + d] = i1
            if not odd and fmin <= d <= fmax and i1 <= kvdf[base + d]:
                return i1, i2, True, True
        if need_min:
            continue
        if got_snake and ec > _HEUR_MIN_COST:
            found = _interesting_split(ha1, off1, lim1, ha2, off2, lim2, kvdf, kvdb, base,
                                       ec, (fmin, fmax, fmid), (bmin, bmax, bmid))
            if found:
                return found
        if ec >= mxcost:
            return _furthest_split(off1, lim1, off2, lim2, kvdf, kvdb, base,
                                   (fmin, fmax), (bmin, bmax))


def _interesting_split(ha1: list[int], off1: int, lim1: int, ha2: list[int], off2: int, lim2: int,
                       kvdf: list[int], kvdb: list[int], base: int, ec: int,
                       fwd: tuple[int, int, int], bwd: tuple[int, int, int]) -> _Split | None:
    """A diagonal that went far along a snake of 20 lines: split there."""
    fmin, fmax, fmid = fwd
    best, spl = 0, None
    for d in range(fmax, fmin - 1, -2):
        i1 = kvdf[base + d]
        i2 = i1 - d
        v = (i1 - off1) + (i2 - off2) - abs(d - fmid)
        if (v > _K_HEUR * ec and v > best and off1 + _SNAKE_CNT <= i1 < lim1
                and off2 + _SNAKE_CNT <= i2 < lim2):
            k = 1
            while ha1[i1 - k] == ha2[i2 - k]:
                if k == _SNAKE_CNT:
                    best, spl = v, (i1, i2)
                    break
                k += 1
    if spl:
        return spl[0], spl[1], True, False
    bmin, bmax, bmid = bwd
    best = 0
    for d in range(bmax, bmin - 1, -2):
        i1 = kvdb[base + d]
        i2 = i1 - d
        v = (lim1 - i1) + (lim2 - i2) - abs(d - bmid)
        if (v > _K_HEUR * ec and v > best and off1 < i1 <= lim1 - _SNAKE_CNT
                and off2 < i2 <= lim2 - _SNAKE_CNT):
            k = 0
            while ha1[i1 + k] == ha2[i2 + k]:
                if k == _SNAKE_CNT - 1:
                    best, spl = v, (i1, i2)
                    break
                k += 1
    if spl:
        return spl[0], spl[1], False, True
    return None


def _furthest_split(off1: int, lim1: int, off2: int, lim2: int, kvdf: list[int], kvdb: list[int],
                    base: int, fwd: tuple[int, int], bwd: tuple[int, int]) -> _Split:
    """Too costly: split at the path that got furthest, forward or backward."""
    fbest = fbest1 = -1
    for d in range(fwd[1], fwd[0] - 1, -2):
        i1 = min(kvdf[base + d], lim1)
        i2 = i1 - d
        if lim2 < i2:
            i1, i2 = lim2 + d, lim2
        if fbest < i1 + i2:
            fbest, fbest1 = i1 + i2, i1
    bbest = bbest1 = _LINE_MAX
    for d in range(bwd[1], bwd[0] - 1, -2):
        i1 = max(off1, kvdb[base + d])
        i2 = i1 - d
        if i2 < off2:
            i1, i2 = off2 + d, off2
        if i1 + i2 < bbest:
            bbest, bbest1 = i1 + i2, i1
    if (lim1 + lim2) - bbest < fbest - (off1 + off2):
        return fbest1, fbest - fbest1, True, False
    return bbest1, bbest - bbest1, False, True


def _myers(x1: _Side, x2: _Side) -> None:
    """xdl_recs_cmp: mark changed lines on both sides, divide and conquer."""
    ha1, ha2 = x1.reff, x2.reff
    ndiags = len(ha1) + len(ha2) + 3
    kvdf, kvdb = [0] * ndiags, [0] * ndiags
    base = len(ha2) + 1
    mxcost = max(_bogosqrt(ndiags), 256)
    # Depth first, low half before high half, like xdl_recs_cmp's recursion.
    stack = [(0, len(ha1), 0, len(ha2), False)]
    while stack:
        off1, lim1, off2, lim2, need_min = stack.pop()
        while off1 < lim1 and off2 < lim2 and ha1[off1] == ha2[off2]:
            off1 += 1
            off2 += 1
        while off1 < lim1 and off2 < lim2 and ha1[lim1 - 1] == ha2[lim2 - 1]:
            lim1 -= 1
            lim2 -= 1
        if off1 == lim1:
            for i in range(off2, lim2):
                x2.mark(x2.rindex[i])
        elif off2 == lim2:
            for i in range(off1, lim1):
                x1.mark(x1.rindex[i])
        else:
            i1, i2, min_lo, min_hi = _split(ha1, off1, lim1, ha2, off2, lim2,
                                            kvdf, kvdb, base, need_min, mxcost)
            stack.append((i1, lim1, i2, lim2, min_hi))
            stack.append((off1, i1, off2, i2, min_lo))


# --- xdiff: sliding groups of changes (xdl_change_compact) -------------------

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


def _compact(side: _Side, other: _Side) -> None:
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


# --- edit script and hunks ---------------------------------------------------

class _Change(NamedTuple):
    """Lines old[i1:i1+chg1] replaced by new[i2:i2+chg2] (0-based)."""

    i1: int
    i2: int
    chg1: int
    chg2: int


def _edit_script(old: list[bytes], new: list[bytes]) -> tuple[list[_Change], _Side, _Side]:
    """xdl_diff up to the edit script: prepare, Myers, compact both sides."""
    x1, x2 = _prepare(old, new)
    _myers(x1, x2)
    _compact(x1, x2)
    _compact(x2, x1)
    script: list[_Change] = []
    i1, i2 = x1.nrec, x2.nrec
    while i1 >= 0 or i2 >= 0:
        if x1.chg(i1 - 1) or x2.chg(i2 - 1):
            l1, l2 = i1, i2
            while x1.chg(i1 - 1):
                i1 -= 1
            while x2.chg(i2 - 1):
                i2 -= 1
            script.append(_Change(i1, i2, l1 - i1, l2 - i2))
        i1 -= 1
        i2 -= 1
    script.reverse()
    return script, x1, x2


def line_counts(change: FileChange) -> tuple[int, int]:
    """(added, deleted) lines, as in the diffstat."""
    _check_supported(change)
    script, _, _ = _edit_script(split_lines(change.old or b''), split_lines(change.new or b''))
    return sum(c.chg2 for c in script), sum(c.chg1 for c in script)


_FUNC_START = frozenset(b'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$')

# git's builtin userdiff funcname patterns (POSIX ERE; these translate to `re`
# as is, being anchored so that leftmost-longest and leftmost-first agree).
# A True flag marks a '!' pattern: a match means "not a heading".
_SP = rb'[ \t\n\r\f\v]'
FUNCNAME_PATTERNS: dict[str, tuple[tuple[bool, re.Pattern[bytes]], ...]] = {
    'cpp': (
        (True, re.compile(rb'^[ \t]*[A-Za-z_][A-Za-z_0-9]*:' + _SP + rb'*($|/[/*])')),  # labels
        (False, re.compile(rb'^((::' + _SP + rb'*)?[A-Za-z_].*)$')),
    ),
    'rust': (
        (False, re.compile(rb'^[\t ]*((pub(\([^\)]+\))?[\t ]+)?((async|const|unsafe|extern([\t ]+"[^"]+"))'
                           rb'[\t ]+)?(struct|enum|union|mod|trait|fn|impl|macro_rules!)[< \t]+[^;]*)$')),
    ),
}


def _funcname(line: bytes, driver: str | None) -> bytes | None:
    """The hunk heading `line` gives, or None (xdiff def_ff / ff_regexp)."""
    patterns = FUNCNAME_PATTERNS.get(driver or '')
    if patterns is None:
        # Default: a line starting with an ASCII letter, '_' or '$'.
        if not line or line[0] not in _FUNC_START:
            return None
        return line[:80].rstrip(b' \t\n\r')
    text = line[:-2] if line.endswith(b'\r\n') else line[:-1] if line.endswith(b'\n') else line
    for negate, pattern in patterns:
        found = pattern.search(text)
        if found:
            if negate:
                return None
            group = 1 if pattern.groups and found.start(1) >= 0 else 0
            return found.group(group)[:80].rstrip(b' \t\n\r')
    return None


def _hunk_header(s1: int, c1: int, s2: int, c2: int, func: bytes) -> bytes:
    head = '@@ -%d' % (s1 if c1 else s1 - 1)
    if c1 != 1:
        head += ',%d' % c1
    head += ' +%d' % (s2 if c2 else s2 - 1)
    if c2 != 1:
        head += ',%d' % c2
    out = head.encode() + b' @@'
    if func:
        out += b' ' + func[:128 - len(out) - 2]
    return out + b'\n'


def _record(prefix: bytes, line: bytes) -> bytes:
    if line.endswith(b'\n'):
        return prefix + line
    return prefix + line + b'\n\\ No newline at end of file\n'


def hunks(old: bytes, new: bytes, context: int = 3, driver: str | None = None) -> bytes:
    """The hunks `git diff -U<context>` prints between two texts; `driver`
    names the path's diff driver, for the hunk headings."""
    script, x1, x2 = _edit_script(split_lines(old), split_lines(new))
    out: list[bytes] = []
    func = b''
    funcline_prev = -1
    i = 0
    while i < len(script):
        first = last = i
        while last + 1 < len(script):
            prev, nxt = script[last], script[last + 1]
            if nxt.i1 - (prev.i1 + prev.chg1) > 2 * context:
                break
            last += 1
        xch, xche = script[first], script[last]
        s1, s2 = max(xch.i1 - context, 0), max(xch.i2 - context, 0)
        lctx = min(context, x1.nrec - (xche.i1 + xche.chg1), x2.nrec - (xche.i2 + xche.chg2))
        e1, e2 = xche.i1 + xche.chg1 + lctx, xche.i2 + xche.chg2 + lctx
        # The heading is kept from the previous hunk unless a nearer one exists.
        for line_no in range(s1 - 1, funcline_prev, -1):
            found = _funcname(x1.lines[line_no], driver)
            if found is not None:
                func = found
                break
        funcline_prev = s1 - 1
        out.append(_hunk_header(s1 + 1, e1 - s1, s2 + 1, e2 - s2, func))
        out.extend(_record(b' ', x2.lines[n]) for n in range(s2, xch.i2))
        for k in range(first, last + 1):
            c = script[k]
            if k > first:
                p = script[k - 1]
                out.extend(_record(b' ', x2.lines[n]) for n in range(p.i2 + p.chg2, c.i2))
            out.extend(_record(b'-', x1.lines[n]) for n in range(c.i1, c.i1 + c.chg1))
            out.extend(_record(b'+', x2.lines[n]) for n in range(c.i2, c.i2 + c.chg2))
        out.extend(_record(b' ', x2.lines[n]) for n in range(xche.i2 + xche.chg2, e2))
        i = last + 1
    return b''.join(out)


# --- the per-file diff -------------------------------------------------------

def _check_supported(change: FileChange) -> None:
    for data in (change.old, change.new):
        if data is not None and b'\0' in data[:8000]:
            # format-patch would send a "GIT binary patch"; we never need one.
            raise ValueError(f'{change.path}: binary contents are not supported')
    if change.is_rename and change.old != change.new:
        # git would score the similarity; we only ever move files unchanged.
        raise ValueError(f'{change.old_path} -> {change.new_path}: only pure renames are supported')


def _oid(data: bytes | None) -> str:
    return NULL_OID if data is None else blob_hash(data)


def file_diff(change: FileChange, context: int = 3, abbrev: int = 7) -> bytes:
    """Exactly what `git diff` (and format-patch) prints for one file."""
    _check_supported(change)
    old_oid, new_oid = _oid(change.old), _oid(change.new)
    old_name = change.old_path if change.old is not None else change.new_path
    new_name = change.new_path if change.new is not None else change.old_path
    head = [f'diff --git {quote_path(old_name, "a/")} {quote_path(new_name, "b/")}']
    if change.old is None:
        head.append(f'new file mode {change.new_mode}')
    elif change.new is None:
        head.append(f'deleted file mode {change.old_mode}')
    elif change.old_mode != change.new_mode:
        head += [f'old mode {change.old_mode}', f'new mode {change.new_mode}']
    if change.is_rename:
        head += ['similarity index 100%', f'rename from {quote_path(change.old_path)}',
                 f'rename to {quote_path(change.new_path)}']
    if old_oid != new_oid:
        index = f'index {old_oid[:abbrev]}..{new_oid[:abbrev]}'
        if change.old is not None and change.new is not None and change.old_mode == change.new_mode:
            index += f' {change.new_mode}'
        head.append(index)
    if len(head) == 1:
        return b''  # nothing changed: git shows nothing either
    body = hunks(change.old or b'', change.new or b'', context, change.driver)
    if body:
        minus = '/dev/null' if change.old is None else quote_path(old_name, 'a/')
        plus = '/dev/null' if change.new is None else quote_path(new_name, 'b/')
        head.append('--- ' + minus + ('\t' if ' ' in minus else ''))
        head.append('+++ ' + plus + ('\t' if ' ' in plus else ''))
    return '\n'.join(head).encode('utf-8', 'surrogateescape') + b'\n' + body
