"""An independent, purely lexical detector of Rust C helper definitions.

This is a test oracle: it deliberately shares no code (and no approach) with
the `codemod` package, which parses with tree-sitter. It works on raw bytes:

* the bytes are decoded as Latin-1, so every byte is one character and no
  input can fail to decode (CRLF, stray non-UTF-8 bytes in comments, ...);
* a small C lexer drops comments, keeps string and character literals as
  opaque tokens, and treats backslash-newline as whitespace;
* preprocessor lines are lexed separately: `#define` bodies are searched for
  definitions like file scope is (with `a ## b` glued into one name), every
  other directive is only used to keep the brace depth sane across
  `#if`/`#elif`/`#else`/`#endif`, so both branches of a conditional are seen;
* at brace depth 0 tokens are collected into a pending declaration until a
  `;`, a closing `}` or a directive; when a `{` arrives the pending tokens
  are checked for the shape `<specifiers> name(<params>) <attributes> {`.

A helper is such a definition whose specifiers do not contain `static` (or
`typedef`). The result lists each one as
`Helper(name, line, annotated, in_macro)`.
"""
from __future__ import annotations

from typing import NamedTuple


class Helper(NamedTuple):
    name: str
    # 1-based line of the declaration's first token (attribute, annotation
    # or return type).
    line: int
    # `__rust_helper` is one of the declaration's tokens.
    annotated: bool
    # Name of the enclosing `#define`, or None at file scope.
    in_macro: str | None


class _Tok(NamedTuple):
    kind: str  # 'id', 'num', 'str', 'punct', 'pp'
    text: str
    line: int
    pos: int
    end: int


ANNOTATION = '__rust_helper'

# Words that are followed by a parenthesised group but never name a function.
_KEYWORDS = frozenset(
    '''
    if else while for do switch case default return goto break continue
    sizeof typeof __typeof__ __typeof alignof _Alignof __alignof__ _Generic
    _Static_assert static_assert asm __asm__ __asm volatile __volatile__
    struct union enum typedef static extern inline __inline __inline__
    '''.split()
)

# Attribute-like macros that take an argument list. They are never taken as
# the declarator, wherever they stand.
_ATTRS_WITH_ARGS = frozenset(
    '''
    __attribute__ __attribute __declspec __printf __scanf __realloc_size
    __alloc_size __acquires __releases __must_hold __cond_acquires
    __cond_releases __acquire __release __section __aligned __assume_aligned
    __counted_by __diag_ignore __no_sanitize_or_inline __designated_init
    __nonstring __alias __weak_alias __cleanup __free __guarded_by
    __pt_guarded_by __context__ __diagnose_as __must_be_array
    '''.split()
)

_PUNCT3 = ('...', '<<=', '>>=')
_PUNCT2 = ('##', '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&',
           '||', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=')


def _is_ident_start(c: str) -> bool:
    return c == '_' or ('a' <= c <= 'z') or ('A' <= c <= 'Z')


def _is_ident_char(c: str) -> bool:
    return _is_ident_start(c) or ('0' <= c <= '9')


def _skip_block_comment(text: str, i: int) -> int:
    """`i` is just after `/*`; return the index after the closing `*/`."""
    j = text.find('*/', i)
    return len(text) if j < 0 else j + 2


def _skip_line_comment(text: str, i: int) -> int:
    """`i` is just after `//`; return the index of the ending newline.

    A backslash right before the newline continues the comment, as in C.
    """
    n = len(text)
    while True:
        j = text.find('\n', i)
        if j < 0:
            return n
        k = j - 1
        if k >= i and text[k] == '\r':
            k -= 1
        if k >= i and text[k] == '\\':
            i = j + 1
            continue
        return j


def _skip_quoted(text: str, i: int, quote: str) -> int:
    """`i` is just after the opening quote; return the index after the
    closing one (or the end of the line if the literal is unterminated)."""
    n = len(text)
    while i < n:
        c = text[i]
        if c == '\\':
            i += 2
            continue
        if c == quote:
            return i + 1
        if c == '\n':
            return i
        i += 1
    return n


def _directive_end(text: str, i: int) -> int:
    """`i` is at a directive's `#`; return the index of the newline that ends
    the logical line (backslash continuations and block comments included)."""
    n = len(text)
    while i < n:
        c = text[i]
        if c == '\n':
            return i
        if c == '\\':
            j = i + 1
            if j < n and text[j] == '\r':
                j += 1
            if j < n and text[j] == '\n':
                i = j + 1
                continue
            i += 1
            continue
        if c == '/' and text.startswith('/*', i):
            i = _skip_block_comment(text, i + 2)
            continue
        if c == '/' and text.startswith('//', i):
            return _skip_line_comment(text, i + 2)
        if c in '"\'':
            i = _skip_quoted(text, i + 1, c)
            continue
        i += 1
    return n


def _lex(text: str, start: int, end: int, line: int, directive: bool) -> list[_Tok]:
    """Tokenise text[start:end], which begins on `line`.

    Outside a directive, a `#` first on its line starts a directive, which is
    returned whole as one 'pp' token.
    """
    toks: list[_Tok] = []
    i = start
    line_start = True
    while i < end:
        c = text[i]
        if c == '\n':
            line += 1
            i += 1
            line_start = True
            continue
        if c in ' \t\r\f\v':
            i += 1
            continue
        if c == '\\':
            # A line splice: whitespace, but the line count goes on.
            j = i + 1
            if j < end and text[j] == '\r':
                j += 1
            if j < end and text[j] == '\n':
                line += 1
                i = j + 1
                continue
            toks.append(_Tok('punct', c, line, i, i + 1))
            i += 1
            line_start = False
            continue
        if c == '/' and text.startswith('/*', i):
            j = min(_skip_block_comment(text, i + 2), end)
            line += text.count('\n', i, j)
            i = j
            continue
        if c == '/' and text.startswith('//', i):
            j = min(_skip_line_comment(text, i + 2), end)
            line += text.count('\n', i, j)
            i = j
            continue
        if c == '#' and line_start and not directive:
            j = min(_directive_end(text, i), end)
            toks.append(_Tok('pp', text[i:j], line, i, j))
            line += text.count('\n', i, j)
            i = j
            continue
        line_start = False
        if _is_ident_start(c):
            j = i + 1
            while j < end and _is_ident_char(text[j]):
                j += 1
            toks.append(_Tok('id', text[i:j], line, i, j))
            i = j
            continue
        if ('0' <= c <= '9') or (c == '.' and i + 1 < end and '0' <= text[i + 1] <= '9'):
            j = i + 1
            while j < end:
                d = text[j]
                if d in '+-' and text[j - 1] in 'eEpP':
                    j += 1
                elif _is_ident_char(d) or d == '.':
                    j += 1
                else:
                    break
            toks.append(_Tok('num', text[i:j], line, i, j))
            i = j
            continue
        if c in '"\'':
            j = min(_skip_quoted(text, i + 1, c), end)
            toks.append(_Tok('str', text[i:j], line, i, j))
            i = j
            continue
        for p in _PUNCT3 + _PUNCT2:
            if text.startswith(p, i):
                toks.append(_Tok('punct', p, line, i, i + len(p)))
                i += len(p)
                break
        else:
            toks.append(_Tok('punct', c, line, i, i + 1))
            i += 1
    return toks


def _paste(toks: list[_Tok]) -> list[_Tok]:
    """Glue `a ## b ## c` (macro token pasting) into one identifier."""
    out: list[_Tok] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind in ('id', 'num'):
            parts = [t.text]
            j = i
            while (j + 2 < len(toks) and toks[j + 1].text == '##'
                   and toks[j + 2].kind in ('id', 'num')):
                parts.append(toks[j + 2].text)
                j += 2
            if j > i:
                t = _Tok('id', '##'.join(parts), t.line, t.pos, toks[j].end)
            out.append(t)
            i = j + 1
            continue
        out.append(t)
        i += 1
    return out


def _match(toks: list[_Tok], i: int) -> int:
    """toks[i] is `(`; return the index of the matching `)` (or -1)."""
    depth = 0
    for j in range(i, len(toks)):
        x = toks[j].text
        if toks[j].kind != 'punct':
            continue
        if x == '(':
            depth += 1
        elif x == ')':
            depth -= 1
            if depth == 0:
                return j
    return -1


def _split_items(toks: list[_Tok]) -> list[list[_Tok]]:
    items: list[list[_Tok]] = [[]]
    depth = 0
    for t in toks:
        if t.kind == 'punct' and t.text in '([':
            depth += 1
        elif t.kind == 'punct' and t.text in ')]':
            depth -= 1
        if depth == 0 and t.kind == 'punct' and t.text == ',':
            items.append([])
        else:
            items[-1].append(t)
    return items


def _looks_like_params(inner: list[_Tok]) -> bool:
    """Is this the inside of a parameter list, as opposed to the arguments of
    an attribute or of a macro instantiation (`(2)`, `(1, 2)`, `(lock)`,
    `(&x->lock)`, `("s")`)?"""
    if not inner:
        return True  # `f()`
    for item in _split_items(inner):
        if not item:
            return False
        if len(item) == 1:
            if item[0].text in ('void', '...'):
                continue
            return False
        if item[0].kind != 'id':
            return False
        for t in item:
            if t.kind == 'str':
                return False
            if t.kind == 'punct' and t.text not in ('*', '(', ')', '[', ']', ','):
                return False
    return True


def _is_attr_name(name: str) -> bool:
    return name in _ATTRS_WITH_ARGS or name.startswith('__')


def _is_attr_group(toks: list[_Tok], name_i: int, close: int) -> bool:
    """Is toks[name_i] `(` ... toks[close] an attribute with arguments?"""
    if _is_attr_name(toks[name_i].text):
        return True
    # Purely numeric arguments, as in an unknown `__foo(1, 2)`-style macro.
    inner = toks[name_i + 2:close]
    return bool(inner) and all(
        t.kind == 'num' or (t.kind == 'punct' and t.text == ',') for t in inner
    )


def _group_before(toks: list[_Tok], close: int) -> int:
    """toks[close] is `)`; return the index of its `(` (or -1)."""
    depth = 0
    for j in range(close, -1, -1):
        t = toks[j]
        if t.kind != 'punct':
            continue
        if t.text == ')':
            depth += 1
        elif t.text == '(':
            depth -= 1
            if depth == 0:
                return j
    return -1


def _tail_is_attributes(toks: list[_Tok], open_parens: int = 0) -> bool:
    """Only attribute macros may stand between `)` and `{`, after the
    `open_parens` declarator parentheses opened before the name are closed
    (with their own parameter lists: `int (*f(void))(int)`)."""
    i = 0
    while open_parens:
        if i >= len(toks) or toks[i].text != ')':
            return False
        open_parens -= 1
        i += 1
        while i < len(toks) and toks[i].text == '(':
            close = _match(toks, i)
            if close < 0:
                return False
            i = close + 1
    while i < len(toks):
        t = toks[i]
        if t.kind != 'id' or not (_is_attr_name(t.text) or t.text == ANNOTATION):
            return False
        if i + 1 < len(toks) and toks[i + 1].text == '(':
            close = _match(toks, i + 1)
            if close < 0:
                return False
            i = close + 1
        else:
            i += 1
    return True


def _old_style_names(inner: list[_Tok]) -> set[str]:
    """`a, b` of `int f(a, b)`: the names of an old-style (K&R) parameter list."""
    if not inner or len(inner) % 2 == 0:
        return set()
    if any(t.kind != 'id' if k % 2 == 0 else t.text != ',' for k, t in enumerate(inner)):
        return set()
    names = {t.text for t in inner if t.kind == 'id'}
    return set() if names & _KEYWORDS or names & {'void', 'int', 'char', 'long', 'short', 'unsigned'} else names


def _old_style_declarations(toks: list[_Tok], names: set[str]) -> bool:
    """`int a; char *b;`: declarations, each of names from the list."""
    if not toks or toks[-1].text != ';':
        return False
    part: list[_Tok] = []
    for t in toks:
        if t.text != ';':
            part.append(t)
            continue
        declared = [x.text for k, x in enumerate(part)
                    if x.kind == 'id' and (k + 1 == len(part) or part[k + 1].text in (',', '['))]
        if not declared or not set(declared) <= names or any(x.text in ('static', 'typedef') for x in part):
            return False
        part = []
    return True


def _leading_start(toks: list[_Tok], name_i: int) -> int:
    """Walk back from the declarator over declaration specifiers (words,
    `*`, declarator parentheses and attribute groups); return the index of
    the first one."""
    j = name_i - 1
    while j >= 0:
        t = toks[j]
        if t.kind == 'id' or (t.kind == 'punct' and t.text in ('*', '(')):
            j -= 1
            continue
        if t.kind == 'punct' and t.text == ')':
            # `__attribute__((x))`, `__realloc_size(2)`, ... but not a macro
            # instantiation such as `DEFINE_THING(a)` on an earlier line.
            open_i = _group_before(toks, j)
            if open_i >= 1 and toks[open_i - 1].kind == 'id' and _is_attr_group(toks, open_i - 1, j):
                j = open_i - 2
                continue
        break
    return j + 1


def _definition(toks: list[_Tok], macro: str | None) -> Helper | None:
    """`toks` are the pending file-scope tokens before a `{`."""
    if not toks:
        return None
    depth = 0
    for t in toks:
        if t.kind != 'punct':
            continue
        if t.text in '([':
            depth += 1
        elif t.text in ')]':
            depth -= 1
        elif t.text == '=' and depth == 0:
            return None  # an initialiser
    if depth != 0:
        return None
    for k, t in enumerate(toks):
        if (t.kind != 'id' or t.text in _KEYWORDS or t.text in _ATTRS_WITH_ARGS
                or t.text == ANNOTATION):
            continue
        if k + 1 >= len(toks) or toks[k + 1].text != '(':
            continue
        close = _match(toks, k + 1)
        if close < 0:
            return None
        old_style = _old_style_names(toks[k + 2:close])
        old_style = old_style if old_style and _old_style_declarations(toks[close + 1:], old_style) else set()
        if not old_style:
            if not _looks_like_params(toks[k + 2:close]):
                continue
            opened = sum(1 if x.text == '(' else -1 for x in toks[:k] if x.kind == 'punct' and x.text in '()')
            if not _tail_is_attributes(toks[close + 1:], opened):
                continue
        first = _leading_start(toks, k)
        lead = toks[first:k]
        if not any(x.kind == 'id' for x in lead):
            continue  # no return type: not a declaration
        words = {x.text for x in lead}
        if 'static' in words or 'typedef' in words:
            return None
        annotated = any(x.text == ANNOTATION for x in lead + toks[close + 1:])
        return Helper(t.text, lead[0].line, annotated, macro)
    return None


def _old_style_so_far(pending: list[_Tok]) -> bool:
    """`int f(a, b) int a` before a `;`: the old-style declarations go on."""
    for k in range(1, len(pending) - 1):
        if pending[k].kind == 'id' and pending[k + 1].text == '(' and pending[k - 1].kind == 'id':
            close = _match(pending, k + 1)
            names = _old_style_names(pending[k + 2:close]) if close > 0 else set()
            if names and close + 1 < len(pending):
                return _old_style_declarations(pending[close + 1:] + [_Tok('punct', ';', 0, 0, 0)], names)
    return False


def _directive_kind(body: list[_Tok]) -> str:
    return body[0].text if body and body[0].kind == 'id' else ''


def _define(body: list[_Tok], out: list[Helper]) -> None:
    """Search a `#define` body for definitions."""
    if len(body) < 2 or body[1].kind != 'id':
        return
    name = body[1]
    rest = body[2:]
    if rest and rest[0].text == '(' and rest[0].pos == name.end:
        close = _match(rest, 0)
        if close < 0:
            return
        rest = rest[close + 1:]
    _scan(_paste(rest), name.text, out)


def _scan(toks: list[_Tok], macro: str | None, out: list[Helper]) -> None:
    pending: list[_Tok] = []
    depth = 0
    # One frame per open `#if`: [depth at the #if, depth at the end of the
    # first branch or None]. Every branch starts from the #if's depth and the
    # first branch decides the depth after #endif, so unbalanced branches
    # cannot make the count drift.
    conds: list[list] = []
    for t in toks:
        if t.kind == 'pp':
            # Lex the directive on its own; `pos` is relative to its text.
            body = _lex(t.text, 1, len(t.text), t.line, True)
            kind = _directive_kind(body)
            if kind == 'define':
                _define(body, out)
            elif kind in ('if', 'ifdef', 'ifndef'):
                conds.append([depth, None])
            elif kind in ('elif', 'else', 'elifdef', 'elifndef') and conds:
                if conds[-1][1] is None:
                    conds[-1][1] = depth
                depth = conds[-1][0]
            elif kind == 'endif' and conds:
                _, first = conds.pop()
                if first is not None:
                    depth = first
            if depth == 0:
                pending = []
            continue
        if t.kind == 'punct' and t.text == '{':
            if depth == 0:
                found = _definition(pending, macro)
                if found is not None:
                    out.append(found)
                pending = []
            depth += 1
            continue
        if t.kind == 'punct' and t.text == '}':
            depth = max(depth - 1, 0)
            if depth == 0:
                pending = []
            continue
        if depth == 0:
            if t.kind == 'punct' and t.text == ';' and not _old_style_so_far(pending):
                pending = []
            else:
                pending.append(t)


def helpers(data: bytes) -> list[Helper]:
    """All helper definitions in a C file's bytes, in file order."""
    text = data.decode('latin-1')
    out: list[Helper] = []
    _scan(_lex(text, 0, len(text), 1, False), None, out)
    return out


def helper_names(data: bytes) -> list[str]:
    return [h.name for h in helpers(data)]
