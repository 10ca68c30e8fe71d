"""git's diff engine (xdiff), ported: which lines changed between two files.

A line-for-line port of xdiff's Myers diff with its heuristics (the cost
cut-offs, the indent heuristic and the group sliding), so that the hunks
patch.py prints are the ones git prints. Pure; works on lists of byte lines.
"""
from __future__ import annotations

from typing import NamedTuple

from codemod.mail.xdiff_compact import compact


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


# --- edit script and hunks ---------------------------------------------------

class Change(NamedTuple):
    """Lines old[i1:i1+chg1] replaced by new[i2:i2+chg2] (0-based)."""

    i1: int
    i2: int
    chg1: int
    chg2: int


def edit_script(old: list[bytes], new: list[bytes]) -> tuple[list[Change], _Side, _Side]:
    """xdl_diff up to the edit script: prepare, Myers, compact both sides."""
    x1, x2 = _prepare(old, new)
    _myers(x1, x2)
    compact(x1, x2)
    compact(x2, x1)
    script: list[Change] = []
    i1, i2 = x1.nrec, x2.nrec
    while i1 >= 0 or i2 >= 0:
        if x1.chg(i1 - 1) or x2.chg(i2 - 1):
            l1, l2 = i1, i2
            while x1.chg(i1 - 1):
                i1 -= 1
            while x2.chg(i2 - 1):
                i2 -= 1
            script.append(Change(i1, i2, l1 - i1, l2 - i2))
        i1 -= 1
        i2 -= 1
    script.reverse()
    return script, x1, x2
