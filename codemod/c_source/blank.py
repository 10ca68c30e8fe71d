"""Blank the kernel's attribute macros, keeping every byte offset valid.

tree-sitter-c does not know the kernel's attribute macros (`__noreturn`,
`__realloc_size(2)`, ...) and produces ERROR nodes around them, which makes a
naive query miss helpers. We blank each known macro to spaces of the same
length before parsing, so offsets and line/column positions in the tree are
the offsets in the original file.
"""
from __future__ import annotations

import functools
import re
from typing import NamedTuple

from codemod.plumbing.packages import read_package_text


class AttributeMacros(NamedTuple):
    plain: frozenset[str]
    with_args: frozenset[str]
    # Subset of with_args whose argument is an expression, not a constant.
    expression_args: frozenset[str] = frozenset()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self.plain | self.with_args))

    @property
    def clang_format_names(self) -> tuple[str, ...]:
        """The names clang-format should treat as attributes."""
        return tuple(n for n in self.names if n not in self.expression_args)


class MacroSpan(NamedTuple):
    """One attribute macro occurrence that was blanked, [start, end)."""
    start: int
    end: int
    name: str


class Blanked(NamedTuple):
    text: bytes
    spans: tuple[MacroSpan, ...]


def parse_macro_list(text: str) -> AttributeMacros:
    """Lines `name`, `name()` (takes arguments) or `name(expr)` (takes an expression)."""
    plain, with_args, expression_args = set(), set(), set()
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        if line.endswith('(expr)'):
            with_args.add(line[:-6])
            expression_args.add(line[:-6])
        elif line.endswith('()'):
            with_args.add(line[:-2])
        else:
            plain.add(line)
    return AttributeMacros(frozenset(plain), frozenset(with_args), frozenset(expression_args))


@functools.cache
def attribute_macros() -> AttributeMacros:
    return parse_macro_list(read_package_text('data', 'attribute_macros.txt'))


# Comments, strings and preprocessor lines are skipped whole; identifiers are
# the only thing we look at. A comment may run across a preprocessor line.
_LEXEME = re.compile(
    rb'''
      (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
    | (?P<string>"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?)
    | (?P<pp>^[ \t]*\#(?:/\*.*?(?:\*/|\Z)|\\\r?\n|[^\n])*)
    | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
    ''',
    re.S | re.M | re.X,
)


def _args_end(data: bytes, pos: int) -> int | None:
    """End of a balanced `( ... )` starting after optional blanks at pos."""
    i = pos
    while i < len(data) and data[i] in b' \t':
        i += 1
    if i >= len(data) or data[i] != ord('('):
        return None
    depth = 0
    for j in range(i, len(data)):
        c = data[j]
        if c == ord('('):
            depth += 1
        elif c == ord(')'):
            depth -= 1
            if depth == 0:
                return j + 1
    return None


def _blank(chunk: bytes) -> bytes:
    # Keep line breaks so that rows stay right; everything else becomes a space.
    return re.sub(rb'[^\r\n]', b' ', chunk)


def blank_macros(data: bytes, macros: AttributeMacros | None = None) -> Blanked:
    macros = macros or attribute_macros()
    out = bytearray(data)
    spans = []
    for m in _LEXEME.finditer(data):
        if m.lastgroup != 'ident':
            continue
        name = m.group().decode('ascii')
        start, end = m.span()
        if name in macros.with_args:
            args_end = _args_end(data, end)
            if args_end is None:
                continue
            end = args_end
        elif name not in macros.plain:
            continue
        out[start:end] = _blank(data[start:end])
        spans.append(MacroSpan(start, end, name))
    return Blanked(bytes(out), tuple(spans))


_FUNCTION_MACRO = re.compile(rb'^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)\(')


def body_macros(data: bytes) -> frozenset[str]:
    """Function-like macros whose body has a `{`: they may define helpers.

    Found lexically, before any parse, because their instantiations
    (`DEFINE_X(foo)` with no `;`) must be blanked for the parse to succeed.
    """
    names = set()
    for m in _LEXEME.finditer(data):
        if m.lastgroup == 'pp':
            d = _FUNCTION_MACRO.match(m.group())
            if d and b'{' in m.group():
                names.add(d.group(1).decode('ascii'))
    return frozenset(names)


def with_instantiations(macros: AttributeMacros, names: frozenset[str]) -> AttributeMacros:
    return AttributeMacros(macros.plain, macros.with_args | names, macros.expression_args) if names else macros


def macro_body_source(data: bytes, start: int, end: int) -> bytes:
    """A same-length copy of data[:end] in which only a `#define` body is code.

    Line continuations become spaces and `##` token pasting becomes `__`, so
    `rust_helper_##name(...)` parses as one identifier at the same offsets.
    """
    body = re.sub(rb'\\(?=\r?\n)', b' ', data[start:end]).replace(b'##', b'__')
    return _blank(data[:start]) + body
