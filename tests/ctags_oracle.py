"""An independent oracle for function definitions in any C file: universal-ctags.

ctags (Debian's universal-ctags) has its own C parser, shares nothing with
tree-sitter or with our code, and is what the stress run (bench/stress.py)
and tests/test_stress_sample.py hold `rust-helpers scan --json` against.
It does not look inside `#define` bodies, so each file that has bodies
with a `{` also gets an "unfolded" twin: the same lines, every `#define
NAME(...)` head blanked, continuation backslashes dropped, `a ## b` glued
into one word with a marker, and every other line empty. ctags reads the
twin like any C file, and names map back to their `##` parts.

`compare` sorts every disagreement into false (we report a helper where the
oracle has a static function or nothing), misnamed, silently missed (the
oracle has a non-static definition we neither report nor cover with a
parse problem), covered, and, where ctags is the one that is wrong, a
named rule of `ORACLE_RULES`, each checked on the code, never a list of
files.
"""
from __future__ import annotations

import json
import re
import subprocess
import tempfile
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

CTAGS = '/usr/bin/ctags'
CTAGS_ARGS = ['--kinds-C=f', '--fields=+ne', '--fields-C=+{properties}',
              '--output-format=json', '--language-force=C']
PASTE_MARK = 'Z9pZ'     # stands for `##` in the unfolded twin: a word ctags keeps


@dataclass(frozen=True)
class Tag:
    name: str           # `##` parts joined by '##', no blanks: rust_helper_##name##_open
    line: int           # the line of the name
    static: bool
    in_macro: bool


def _name_key(name: str) -> str:
    return re.sub(r'\s*##\s*', '##', name)


_LOGICAL_LINE = re.compile(rb'(?:[^\n\\]|\\(?!\r?\n)|\\\r?\n)*\n?')
_DEFINE_HEAD = re.compile(rb'^[ \t]*#[ \t]*define[ \t]+[A-Za-z_]\w*(?:\([^)]*\))?')


def unfold_macro_bodies(data: bytes) -> bytes | None:
    """The twin of `data` in which only `#define` bodies with a `{` are code."""
    out = []
    found = False
    for m in _LOGICAL_LINE.finditer(data):
        chunk = m.group()
        if not chunk:
            break
        head = _DEFINE_HEAD.match(chunk)
        if head is None or b'{' not in chunk:
            out.append(b'\n' * chunk.count(b'\n'))
            continue
        found = True
        body = re.sub(rb'[^\n]', b' ', chunk[:head.end()]) + chunk[head.end():]   # lines kept
        body = re.sub(rb'\\(?=\r?\n)', b' ', body)
        body = re.sub(rb'\s*##\s*', PASTE_MARK.encode(), body)
        body = re.sub(rb'#(?=\s*\w)', b' ', body)
        # A `;` after each body keeps a statement-like body from running into the next.
        newline = body.endswith(b'\n')
        out.append(body.rstrip(b'\n') + b' ;' + (b'\n' if newline else b''))
    return b''.join(out) if found else None


_IF = re.compile(rb'^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b(.*)')


def if0_lines(data: bytes) -> set[int]:
    """The lines inside `#if 0` blocks (up to their #else, #elif or #endif)."""
    inside: set[int] = set()
    stack: list[bool] = []      # per open #if: is this branch an `#if 0` one?
    for n, line in enumerate(data.split(b'\n'), 1):
        m = _IF.match(line)
        if m:
            kind = m.group(1)
            if kind.startswith(b'if'):
                stack.append(kind == b'if' and m.group(2).split(b'/')[0].strip() == b'0')
            elif stack and kind in (b'else', b'elif'):
                stack[-1] = False
            elif stack:
                stack.pop()
            continue
        if any(stack):
            inside.add(n)
    return inside


def _ctags(paths: list[Path], if0: bool = False) -> dict[str, list[dict]]:
    with tempfile.NamedTemporaryFile('w', suffix='.list') as listing:
        listing.write(''.join(f'{p}\n' for p in paths))
        listing.flush()
        extra = ['--if0=yes'] if if0 else []
        proc = subprocess.run([CTAGS, *CTAGS_ARGS, *extra, '-L', listing.name, '-o', '-'],
                              capture_output=True, text=True, errors='replace')
    if proc.returncode != 0:
        raise RuntimeError(f'ctags failed: {proc.stderr.strip()}')
    out: dict[str, list[dict]] = {}
    for line in proc.stdout.splitlines():
        tag = json.loads(line)
        if tag.get('_type') == 'tag' and tag.get('kind') == 'function':
            out.setdefault(tag['path'], []).append(tag)
    return out


def oracle_tags(files: dict[str, Path], scratch: Path) -> dict[str, list[Tag]]:
    """ctags' function definitions of each file (by its name in `files`),
    file scope and #define bodies.

    ctags skips `#if 0` blocks, and with --if0=yes it reads them but can
    lose its way in one (a block of ACPI source language, say) for the rest
    of the file. So it runs twice, and the --if0=yes run is used only for
    the lines inside `#if 0` blocks.
    """
    twins: dict[str, Path] = {}
    if0: dict[str, set[int]] = {}
    scratch.mkdir(parents=True, exist_ok=True)
    for k, (rel, path) in enumerate(sorted(files.items())):
        data = path.read_bytes()
        twin = unfold_macro_bodies(data)
        if twin is not None:
            twins[rel] = scratch / f'{k}.c'
            twins[rel].write_bytes(twin)
        lines = if0_lines(data)
        if lines:
            if0[rel] = lines
    plain = _ctags([files[r] for r in sorted(files)])
    with_if0 = _ctags([files[r] for r in sorted(if0)], if0=True)
    unfolded = _ctags([twins[r] for r in sorted(twins)])
    out: dict[str, list[Tag]] = {}
    for rel, path in files.items():
        found = plain.get(str(path), [])
        found += [t for t in with_if0.get(str(path), []) if t['line'] in if0.get(rel, ())]
        tags = [Tag(t['name'], t['line'], 'static' in t.get('properties', ''), False) for t in found]
        if rel in twins:
            tags += [Tag(t['name'].replace(PASTE_MARK, '##'), t['line'], 'static' in t.get('properties', ''), True)
                     for t in unfolded.get(str(twins[rel]), [])]
        out[rel] = sorted(set(tags), key=lambda t: (t.line, t.name))
    return out


@dataclass
class Verdict:
    agree: int = 0
    agree_static: int = 0
    covered: list[tuple] = field(default_factory=list)
    false: list[tuple] = field(default_factory=list)
    misnamed: list[tuple] = field(default_factory=list)
    silent: list[tuple] = field(default_factory=list)
    oracle_wrong: dict[str, list[tuple]] = field(default_factory=dict)

    def add(self, other: Verdict) -> None:
        self.agree += other.agree
        self.agree_static += other.agree_static
        for name in ('covered', 'false', 'misnamed', 'silent'):
            getattr(self, name).extend(getattr(other, name))
        for rule, cases in other.oracle_wrong.items():
            self.oracle_wrong.setdefault(rule, []).extend(cases)


# Where ctags is wrong, by rule. Each rule is a test on the code around
# one disagreement: `silent` gets a ctags tag we do not report, `false` one
# of our helpers ctags has no tag for.


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


def _silent_macro_call(lines, tag, helpers, tags) -> bool:
    """ctags' function is a macro call ending its line(s) with no `;`, and
    the next line of code does not open a body."""
    end = _macro_call_end(lines, tag.line, tag.name)
    if end is None:
        return False
    code = _without_comments(lines[end:end + 40])
    following = next((x.strip() for x in code if x.strip()), b'')
    return not following.startswith(b'{')


def _false_after_macro_call(lines, helper, helpers, tags) -> bool:
    for t in tags:
        end = _macro_call_end(lines, t.line, t.name) if t.line < helper['line'] else None
        if end is not None and end < helper['line'] and _between_is_only_comments(lines, end + 1, helper['line'] - 1):
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


def _silent_static(lines, tag, helpers, tags) -> bool:
    return _declaration_text(lines, tag.line).split(b' ', 1)[0] == b'static'


def _in_initializer_macro(lines, tag, helpers, tags) -> bool:
    """The tag is in a #define whose body starts with `{` or `(`."""
    if not tag.in_macro:
        return False
    for n in range(tag.line, 0, -1):
        if re.match(rb'\s*#\s*define\b', lines[n - 1]):
            logical = b' '.join(x.rstrip(b'\\').strip() for x in lines[n - 1:tag.line])
            m = re.match(rb'\s*#\s*define\s+\w+(?:\([^)]*\))?\s*(.?)', logical)
            return bool(m) and m.group(1) in (b'{', b'(')
        if n < tag.line and not lines[n - 1].rstrip().endswith(b'\\'):
            return False
    return False


def _struct_head(lines, tag, helpers, tags) -> bool:
    text = lines[tag.line - 1] if 0 < tag.line <= len(lines) else b''
    return bool(re.search(rb'\b(?:struct|union|enum)\s+%s\s*\(' % re.escape(tag.name.encode()), text))


def _attribute_as_name(lines, tag, here, tags) -> bool:
    """`bool __init __weak f(...)` read as `__init`, or `f(...) __releases(x)`
    as `__releases`: ctags' name stands in the same declaration as ours,
    before the name that our parameter list follows, or after that list."""
    if not here:
        return False
    ours = re.escape(here[0]['name'].split(' ')[0].encode())
    theirs = re.escape(tag.name.encode())
    text = b' '.join(lines[here[0]['line'] - 1:here[0]['end_line']])
    before = re.search(rb'\b%s\b.*\b%s\s*\(' % (theirs, ours), text)
    after = re.search(rb'\b%s\s*\(.*\)\s*%s\b' % (ours, theirs), text)
    return bool(before or after)


def _misnamed_after_macro_call(lines, tag, here, tags) -> bool:
    end = _macro_call_end(lines, tag.line, tag.name)
    return end is not None and bool(here) and here[0]['line'] > end


def _lexical_oracle_agrees(lines, helper, helpers, tags) -> bool:
    from tests import oracle
    data = b'\n'.join(lines)
    return any(h.name.replace(' ', '') == helper['name'].replace(' ', '') and helper['line'] <= h.line <= helper['end_line']
               for h in oracle.helpers(data))


ORACLE_RULES = {
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


def _oracle_rule(kind: str, lines: list[bytes], case, helpers, tags) -> str | None:
    """The rule that says ctags is wrong about this case of `kind` (silent,
    false or misnamed), if one does."""
    slot = {'silent': 1, 'false': 2, 'misnamed': 3}[kind]
    for rule_id, rule in ORACLE_RULES.items():
        test = rule[slot]
        if test is not None and test(lines, case, helpers, tags):
            return rule_id
    return None


def compare(rel: str, data: bytes, tags: list[Tag], report: dict) -> Verdict:
    """Hold one file's `scan --json` entries (helpers, problems) against ctags."""
    v = Verdict()
    lines = data.split(b'\n')
    helpers = report.get('helpers', [])
    problems = report.get('problems', [])
    used: set[int] = set()

    def ours_at(line: int) -> list[tuple[int, dict]]:
        return [(k, h) for k, h in enumerate(helpers) if h['line'] <= line <= h['end_line']]

    for tag in tags:
        here = ours_at(tag.line)
        same = [(k, h) for k, h in here if _name_key(h['name']) == tag.name]
        if tag.static:
            if same:
                used.update(k for k, _ in same)
                v.false.append((rel, tag.line, tag.name, 'ctags: static'))
            else:
                v.agree_static += 1
            continue
        if same:
            used.update(k for k, _ in same)
            v.agree += 1
            continue
        case = (rel, tag.line, tag.name)
        if here:
            used.update(k for k, _ in here)
            rule = _oracle_rule('misnamed', lines, tag, [h for _, h in here], tags)
            if rule:
                v.oracle_wrong.setdefault(rule, []).append(case + (here[0][1]['name'],))
            else:
                v.misnamed.append(case + (here[0][1]['name'],))
        elif any(p['line'] <= tag.line <= p['end_line'] for p in problems):
            v.covered.append(case)
        else:
            rule = _oracle_rule('silent', lines, tag, helpers, tags)
            if rule:
                v.oracle_wrong.setdefault(rule, []).append(case)
            else:
                v.silent.append(case)
    for k, h in enumerate(helpers):
        if k in used:
            continue
        case = (rel, h['line'], h['name'], 'ctags: no definition')
        rule = _oracle_rule('false', lines, h, helpers, tags)
        if rule:
            v.oracle_wrong.setdefault(rule, []).append(case)
        else:
            v.false.append(case)
    return v
