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
named rule of `tests/ctags_rules.py`, each checked on the code, never a
list of files.
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


def name_key(name: str) -> str:
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
        # A paste across a line break keeps the break (the name is cut, the lines stay right).
        body = re.sub(rb'\s*##\s*', lambda m: PASTE_MARK.encode() + b'\n' * m.group().count(b'\n'), body)
        body = re.sub(rb'#(?=\s*\w)', b' ', body)
        # A `;` after each body keeps a statement-like body from running into the next.
        newline = body.endswith(b'\n')
        out.append((body[:-1] if newline else body) + b' ;' + (b'\n' if newline else b''))
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


def compare(rel: str, data: bytes, tags: list[Tag], report: dict, path: Path | None = None) -> Verdict:
    """Hold one file's `scan --json` entries (helpers, problems) against ctags
    (`path`: where the file is, for the rules that read its neighbours)."""
    from tests import ctags_rules
    v = Verdict()
    helpers = report.get('helpers', [])
    problems = report.get('problems', [])
    view = ctags_rules.FileView(data.split(b'\n'), helpers, tags, path)
    used: set[int] = set()

    def ours_at(line: int) -> list[tuple[int, dict]]:
        return [(k, h) for k, h in enumerate(helpers) if h['line'] <= line <= h['end_line']]

    for tag in tags:
        here = ours_at(tag.line)
        same = [(k, h) for k, h in here if name_key(h['name']) == tag.name]
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
            rule = ctags_rules.which('misnamed', view, tag, [h for _, h in here])
            if rule:
                v.oracle_wrong.setdefault(rule, []).append(case + (here[0][1]['name'],))
            else:
                v.misnamed.append(case + (here[0][1]['name'],))
        elif any(p['line'] <= tag.line <= p['end_line'] for p in problems):
            cover = next(p for p in problems if p['line'] <= tag.line <= p['end_line'])
            v.covered.append(case + (cover['message'].split(' (near ')[0],))
        else:
            rule = ctags_rules.which('silent', view, tag)
            if rule:
                v.oracle_wrong.setdefault(rule, []).append(case)
            else:
                v.silent.append(case)
    for k, h in enumerate(helpers):
        if k in used:
            continue
        case = (rel, h['line'], h['name'], 'ctags: no definition')
        rule = ctags_rules.which('false', view, h)
        if rule:
            v.oracle_wrong.setdefault(rule, []).append(case)
        else:
            v.false.append(case)
    return v
