"""Where universal-ctags is wrong, by rule (tests/ctags_oracle.py).

Each rule is a test on the code around one disagreement, never a list of
files; bench/stress.py prints how many cases each rule takes, with
examples, and the suite (tests/test_stress_sample.py) accepts no
disagreement that no rule explains.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tests.ctags_oracle import Tag


@dataclass
class FileView:
    lines: list[bytes]          # the file's lines, without their line ends
    helpers: list[dict]         # our `scan --json` helper rows for it
    tags: list[Tag]             # what ctags found in it
    path: Path | None = None    # where it is


def _between_is_only_comments(lines: list[bytes], first: int, last: int) -> bool:
    """Lines first..last (1-based) hold nothing but blanks, comments and `NAME(...)` calls."""
    text = b'\n'.join(lines[first - 1:last])
    text = re.sub(rb'/\*.*?\*/|//[^\n]*', b' ', text, flags=re.S)
    return not re.search(rb'[;{}]', text)


def _macro_call_end(lines: list[bytes], line: int, name: str) -> int | None:
    """If line `line` starts `NAME(...)` and the call, however many lines it
    takes, ends its last line with no `;`: the number of that last line."""
    text = lines[line - 1].lstrip() if 0 < line <= len(lines) else b''
    if not re.match(rb'%s\s*\(' % re.escape(name.encode()), text):
        return None
    depth = 0
    for n in range(line, min(len(lines), line + 20) + 1):
        chunk = lines[n - 1] if n > line else text
        for k, c in enumerate(chunk):
            depth += (c == 0x28) - (c == 0x29)
            if depth == 0 and c == 0x29:
                rest = re.sub(rb'/\*.*?\*/|//.*', b'', chunk[k + 1:]).strip()
                return n if not rest else None
    return None


def _silent_macro_call(f: FileView, tag: Tag, here: list[dict]) -> bool:
    """ctags' function is a macro call ending its line(s) with no `;`, and
    the next line of code does not open a body."""
    end = _macro_call_end(f.lines, tag.line, tag.name)
    if end is None:
        return False
    code = _without_comments(f.lines[end:end + 40])
    following = next((x.strip() for x in code if x.strip()), b'')
    return not following.startswith(b'{')


def _false_after_macro_call(f: FileView, helper: dict, here: list[dict]) -> bool:
    for t in f.tags:
        end = _macro_call_end(f.lines, t.line, t.name) if t.line < helper['line'] else None
        if end is not None and end < helper['line'] and _between_is_only_comments(f.lines, end + 1, helper['line'] - 1):
            return True
    return False


def _without_comments(lines: list[bytes]) -> list[bytes]:
    text = b'\n'.join(lines)
    return re.sub(rb'/\*.*?\*/|//[^\n]*', lambda m: b' ' * len(m.group()) if b'\n' not in m.group()
                  else b'\n' * m.group().count(b'\n'), text, flags=re.S).split(b'\n')


def _declaration_text(lines: list[bytes], line: int) -> bytes:
    """The declaration whose name is on `line`, from its first token: the
    lines above it back to one that ends an item (`;`, `}`, a directive, a
    blank line), and a struct body it starts with (`} *f(void)`)."""
    code = _without_comments(lines)
    first = line
    text = code[line - 1].strip()
    if text.startswith(b'}'):
        depth = 1
        for n in range(line - 1, 0, -1):
            depth += code[n - 1].count(b'}') - code[n - 1].count(b'{')
            if depth <= 0:
                first = n
                break
    while first > 1:
        above = code[first - 2].strip()
        if not above or above[-1:] in (b';', b'}', b'{') or above.startswith(b'#'):
            break
        first -= 1
    return b' '.join(x.strip() for x in code[first - 1:line])


def _silent_static(f: FileView, tag: Tag, here: list[dict]) -> bool:
    return _declaration_text(f.lines, tag.line).split(b' ', 1)[0] == b'static'


def _in_initializer_macro(f: FileView, tag: Tag, here: list[dict]) -> bool:
    """The tag is in a #define whose body starts with `{` or `(`."""
    if not tag.in_macro:
        return False
    lines = f.lines
    for n in range(tag.line, 0, -1):
        if re.match(rb'\s*#\s*define\b', lines[n - 1]):
            logical = b' '.join(x.rstrip(b'\\').strip() for x in lines[n - 1:tag.line])
            m = re.match(rb'\s*#\s*define\s+\w+(?:\([^)]*\))?\s*(.?)', logical)
            return bool(m) and m.group(1) in (b'{', b'(')
        if n < tag.line and not lines[n - 1].rstrip().endswith(b'\\'):
            return False
    return False


def _struct_head(f: FileView, tag: Tag, here: list[dict]) -> bool:
    text = f.lines[tag.line - 1] if 0 < tag.line <= len(f.lines) else b''
    return bool(re.search(rb'\b(?:struct|union|enum)\s+%s\s*\(' % re.escape(tag.name.encode()), text))


def _attribute_as_name(f: FileView, tag: Tag, here: list[dict]) -> bool:
    """`bool __init __weak f(...)` read as `__init`, or `f(...) __releases(x)`
    as `__releases`: ctags' name stands in the same declaration as ours,
    before the name that our parameter list follows, or after that list."""
    if not here:
        return False
    ours = re.escape(here[0]['name'].split(' ')[0].encode())
    theirs = re.escape(tag.name.encode())
    text = b' '.join(f.lines[here[0]['line'] - 1:here[0]['end_line']])
    before = re.search(rb'\b%s\b.*\b%s\s*\(' % (theirs, ours), text)
    after = re.search(rb'\b%s\s*\(.*\)\s*%s\b' % (ours, theirs), text)
    return bool(before or after)


def _misnamed_after_macro_call(f: FileView, tag: Tag, here: list[dict]) -> bool:
    end = _macro_call_end(f.lines, tag.line, tag.name)
    return end is not None and bool(here) and here[0]['line'] > end


def _lexical_oracle_agrees(f: FileView, helper: dict, here: list[dict]) -> bool:
    from tests import oracle
    data = b'\n'.join(f.lines)
    return any(h.name.replace(' ', '') == helper['name'].replace(' ', '') and helper['line'] <= h.line <= helper['end_line']
               for h in oracle.helpers(data))


RULES = {
    'macro-call-as-name': (
        'a macro call with no `;` on the lines above a definition (`NOKPROBE_SYMBOL(f)`, '
        '`EARLY_PCI_OP(read, byte, u8 *)`, `INTERVAL_TREE_DEFINE(...)` over three lines): '
        'ctags takes the macro for the function it defines, under the macro\'s name',
        _silent_macro_call, _false_after_macro_call, _misnamed_after_macro_call,
    ),
    'attribute-as-name': (
        'an attribute-like word next to the name (`bool __init __weak f(...)`, '
        '`f(...) __releases(x)`): ctags takes it for the name',
        None, None, _attribute_as_name,
    ),
    'static-not-marked': (
        'the declaration begins with `static` (ctags\' own pattern line or the lines '
        'above the name), yet ctags does not mark the function static',
        _silent_static, None, None,
    ),
    'initializer-macro': (
        'a #define whose body is an initializer or an expression (`#define ENTRY(...) '
        '{ { hid }, ... }`, `(sizeof((long[]){...}))`): ctags, reading the unfolded body, '
        'takes `X(...) {` in it for a function',
        _in_initializer_macro, None, None,
    ),
    'attribute-in-struct-head': (
        '`struct __aligned(N) name {`: ctags takes the attribute for a function',
        _struct_head, None, None,
    ),
    'ctags-lost-track': (
        'ctags has no definition where we report one, and the independent lexical '
        'oracle (tests/oracle.py) reports the same name at the same line: ctags lost '
        'its way earlier in the file',
        None, _lexical_oracle_agrees, None,
    ),
}


def which(kind: str, f: FileView, case, here: list[dict] | None = None) -> str | None:
    """The rule that says ctags is wrong about this case of `kind` (silent:
    a ctags tag we do not report; false: one of our helpers ctags has no tag
    for; misnamed: a tag whose place holds a helper we name otherwise)."""
    slot = {'silent': 1, 'false': 2, 'misnamed': 3}[kind]
    for rule_id, rule in RULES.items():
        test = rule[slot]
        if test is not None and test(f, case, here or []):
            return rule_id
    return None
