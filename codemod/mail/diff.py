"""Per-file diffs byte for byte as `git diff` / `git format-patch` print them.

Pure functions over bytes, no I/O. Which lines changed comes from xdiff.py,
a port of git's own diff engine, because another LCS gives the same line
counts but differently placed hunks, and a series we write must be what
`git format-patch` would have sent for the same commits.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from codemod.mail.xdiff import edit_script
from codemod.mail.xdiff import split_lines

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

def line_counts(change: FileChange) -> tuple[int, int]:
    """(added, deleted) lines, as in the diffstat."""
    _check_supported(change)
    script, _, _ = edit_script(split_lines(change.old or b''), split_lines(change.new or b''))
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
    script, x1, x2 = edit_script(split_lines(old), split_lines(new))
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
