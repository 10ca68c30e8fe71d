"""Every function definition at file scope of one parsed document.

Where tree-sitter's parse is clean (no error in the header, nothing left
open before it), its function_definition nodes are read directly: that is
nearly every definition, and it costs one walk over the top-level nodes.
Around parse errors, tree-sitter may split a declaration (`static
__unknown_attr` then `struct foo *f(...)`), so each stretch of top-level
items from the last clean boundary to the end of the trouble is lexed again
and every `{` at brace depth 0 is read by header.py. Nothing there is
skipped silently: a header that cannot be read is a `Problem`.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from tree_sitter import Node
from tree_sitter import QueryCursor

from codemod.c_source import header
from codemod.c_source import lexer
from codemod.c_source import parse
from codemod.c_source.conditions import Branches
from codemod.c_source.macros import Knowledge

_CONTAINERS = frozenset(('preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef'))
_DIRECTIVES = frozenset(('preproc_include', 'preproc_def', 'preproc_function_def', 'preproc_call'))
_MACROS = frozenset(('preproc_def', 'preproc_function_def'))
_ANNOTATION_RE = re.compile(rb'\b__rust_helper\b')
_CONDITIONAL = frozenset((b'if', b'ifdef', b'ifndef'))
_ALTERNATIVE = frozenset((b'elif', b'else', b'elifdef', b'elifndef'))


class Found(NamedTuple):
    """A function definition, in the document's offsets."""
    name_start: int
    name_end: int
    first: int              # the declaration's first token
    body: int               # its `{`
    static: bool
    inline: bool
    annotated: bool
    where: Node             # the block it is in: the root or an #if block
    conditions: tuple[str, ...] = ()    # #if lines inside that block, when lexed


class Problem(NamedTuple):
    start: int
    end: int
    reason: str


class MacroDef(NamedTuple):
    """A `#define`, in the document's offsets."""
    name: bytes
    params: bytes | None    # `(a, b)` of a function-like macro
    body_start: int
    body_end: int
    where: Node             # the block it is in
    conditions: tuple[str, ...] = ()    # #if lines inside that block, when lexed


class Walk(NamedTuple):
    found: list[Found]
    problems: list[Problem]
    macros: list[MacroDef]  # in file order


_DEFINE = re.compile(rb'#[ \t]*define[ \t]+([A-Za-z_]\w*)(\([^)]*\))?[ \t]*')


def _tree_define(doc: bytes, node: Node, where: Node) -> MacroDef:
    name = node.child_by_field_name('name')
    params = node.child_by_field_name('parameters')
    value = node.child_by_field_name('value')
    end = value.end_byte if value else node.end_byte
    return MacroDef(
        doc[name.start_byte:name.end_byte], doc[params.start_byte:params.end_byte] if params else None,
        value.start_byte if value else end, end, where,
    )


def _lexed_define(token: lexer.Token, where: Node, conditions: tuple[str, ...]) -> MacroDef | None:
    m = _DEFINE.match(token.text)
    if m is None:
        return None
    body = token.text[m.end():].rstrip()
    return MacroDef(m.group(1), m.group(2), token.start + m.end(), token.start + m.end() + len(body), where, conditions)


# What a header tree-sitter read cleanly may hold; anything else (a
# `macro_type_specifier` such as `DEFINE_X(a)` taken for a type, say) sends
# the definition to be lexed again.
_HEADER_PARTS = frozenset((
    'storage_class_specifier', 'type_qualifier', 'primitive_type', 'type_identifier',
    'sized_type_specifier', 'struct_specifier', 'union_specifier', 'enum_specifier',
    'attribute_specifier', 'attribute_declaration', 'ms_declspec_modifier', 'comment',
    'function_declarator', 'pointer_declarator', 'parenthesized_declarator', 'attributed_declarator',
    'declaration',
))
# After a parameter list: `__attribute__((...))` and `asm("name")` only. An
# identifier or a call there is how tree-sitter reads `f(a)\nvoid g(void)`.
_DECLARATOR_SUFFIXES = frozenset(('parameter_list', 'attribute_specifier', 'gnu_asm_expression', 'comment'))


def _name_node(declarator: Node | None) -> Node | None:
    """The identifier a function declarator declares, through pointer and
    parenthesised declarators (`int (*pick(void))(int)` declares `pick`)."""
    node = declarator
    seen_function = False
    while node is not None:
        kind = node.type
        if kind == 'identifier':
            return node if seen_function else None
        if kind == 'function_declarator':
            seen_function = True
            inner = node.child_by_field_name('declarator')
            if inner is None or any(c.type not in _DECLARATOR_SUFFIXES for c in node.children if c.id != inner.id):
                return None
            node = inner
        elif kind in ('pointer_declarator', 'attributed_declarator'):
            node = node.child_by_field_name('declarator') or (node.named_children[0] if node.named_children else None)
        elif kind == 'parenthesized_declarator':
            node = node.named_children[0] if node.named_children else None
        else:
            return None
    return None


def _from_tree(doc: bytes, definition: Node, where: Node) -> Found | None:
    """The definition as tree-sitter read it, if its header parsed cleanly."""
    children = definition.children
    body = children[-1] if children else None
    if body is None or body.type != 'compound_statement':
        return None
    static = inline = False
    for c in children[:-1]:
        if c.has_error or c.is_missing or c.type not in _HEADER_PARTS:
            return None
        if c.type == 'storage_class_specifier':
            word = doc[c.start_byte:c.end_byte]
            static = static or word == b'static'
            inline = inline or word in (b'inline', b'__inline', b'__inline__')
    name = _name_node(definition.child_by_field_name('declarator'))
    if name is None:
        return None
    return Found(
        name.start_byte, name.end_byte, definition.start_byte, body.start_byte, static, inline,
        bool(_ANNOTATION_RE.search(doc, definition.start_byte, body.start_byte)), where,
    )


def _ends_item(doc: bytes, node: Node) -> bool:
    """Whether a top-level node ends with a real `;` or `}` (not one tree-sitter made up)."""
    return node.end_byte > node.start_byte and doc[node.end_byte - 1] in b';}'


class _Walker:
    def __init__(self, doc: bytes, known: Callable[[], Knowledge], in_macro: bool):
        self.doc = doc
        self.known = known
        self.in_macro = in_macro
        self.out = Walk([], [], [])
        # How far stretches were lexed: a directive can run on past the
        # node where tree-sitter, confused, started a new one.
        self.consumed = 0

    def container(self, node: Node, start: int, crossed: bool = False) -> bool:
        """Walk one container's items; True if it ends inside a declaration."""
        doc = self.doc
        skip = {c.id for c in (node.child_by_field_name('condition'), node.child_by_field_name('name')) if c}
        run_start: int | None = None
        boundary = start
        last_end = start
        for child in node.children:
            kind = child.type
            if kind == 'comment' or child.is_missing or child.end_byte <= self.consumed:
                continue    # a `;` tree-sitter made up ends nothing
            if child.start_byte < self.consumed:
                boundary = self.consumed
            if child.id in skip:
                boundary = child.end_byte
                continue
            if not child.is_named:
                if run_start is not None:
                    self.stretch(run_start, child.start_byte, node, crossed)
                    run_start, crossed = None, False
                boundary = child.end_byte
                continue
            if kind in _CONTAINERS:
                dangling = False
                if run_start is not None:
                    dangling = self.stretch(run_start, child.start_byte, node, crossed)
                    run_start, crossed = None, False
                crossed = self.container(child, child.start_byte, dangling) or crossed
                boundary = last_end = child.end_byte
                continue
            if kind in _DIRECTIVES:
                if run_start is not None:
                    self.stretch(run_start, child.start_byte, node, crossed)
                    run_start, crossed = None, False
                if kind in _MACROS:
                    self.out.macros.append(_tree_define(doc, child, node))
                boundary = last_end = child.end_byte
                continue
            found = None
            if run_start is None and not crossed and kind == 'function_definition':
                found = _from_tree(doc, child, node)
                if found is not None and self._hides_definitions(child):
                    found = None
            if found is not None:
                self.out.found.append(found)
            elif (run_start is None and not crossed and not child.has_error
                    and kind not in ('compound_statement', 'function_definition')):
                pass    # a clean declaration or statement: nothing to read
            elif run_start is None:
                run_start = boundary
            last_end = child.end_byte
            if _ends_item(doc, child):
                if run_start is not None:
                    self.stretch(run_start, child.end_byte, node, crossed)
                    run_start, crossed = None, False
                boundary = child.end_byte
        if run_start is not None:
            return self.stretch(run_start, last_end, node, crossed)
        return crossed

    def _hides_definitions(self, definition: Node) -> bool:
        """A body whose braces tree-sitter paired wrongly holds other definitions."""
        body = definition.children[-1]
        if not body.has_error:
            return False
        return bool(QueryCursor(parse.query()).captures(body).get('definition'))

    def stretch(self, start: int, end: int, where: Node, crossed: bool) -> bool:
        """Lex doc[start:end] again and read every `{` at brace depth 0.

        True if it ends inside what may be the start of a declaration
        (`static`, `struct foo *`), which an #if block then continues; a
        `DEFINE_X(a)` line with no `;` is taken as whole.
        """
        doc = self.doc
        pending: list[lexer.Token] = []
        depth = 0
        branches: list[list[int | None]] = []
        conditions = Branches()
        for t in lexer.tokens(doc, start, end):
            self.consumed = max(self.consumed, t.end)
            if t.kind == lexer.DIRECTIVE:
                conditions.directive(t.text)
                name = lexer.directive_name(t)
                if name == b'define':
                    define = _lexed_define(t, where, conditions.current())
                    if define is not None:
                        self.out.macros.append(define)
                if name in _CONDITIONAL:
                    branches.append([depth, None])
                elif name in _ALTERNATIVE and branches:
                    if branches[-1][1] is None:
                        branches[-1][1] = depth
                    depth = branches[-1][0]
                elif name == b'endif' and branches:
                    _, first = branches.pop()
                    if first is not None:
                        depth = first
                elif name not in _ALTERNATIVE and name != b'endif' and depth == 0:
                    pending = []    # #define, #include, ...: no declaration goes on across it
                    continue
                if depth == 0 and pending:
                    if _ends_declaration_start(doc, pending, self.known()):
                        crossed = True
                    else:
                        pending = []    # `DEFINE_X(a)` with no `;`: a whole item
                continue
            if depth:
                if t.text == b'{':
                    depth += 1
                elif t.text == b'}':
                    depth -= 1
                continue
            if t.text == b'{':
                self._header(pending, t, where, crossed, conditions.current())
                depth, pending, crossed = 1, [], False
            elif t.text == b'}':
                pending = []
            elif t.text == b';' and not _old_style_open(header.strip_instantiations(doc, pending, self.known())):
                pending, crossed = [], False
            else:
                pending.append(t)
        return depth == 0 and bool(pending) and _ends_declaration_start(doc, pending, self.known())

    def _header(
            self, pending: list[lexer.Token], brace: lexer.Token, where: Node, crossed: bool,
            conditions: tuple[str, ...],
    ) -> None:
        doc = self.doc
        if not pending:
            if not self.in_macro:
                self.out.problems.append(Problem(brace.start, brace.start, 'a block with no declaration before it'))
            return
        known = self.known()
        result = header.analyse(doc, pending, known)
        if result is None and any(t.text == b';' for t in pending):
            # Not an old-style definition after all: read what follows the last `;`.
            last = max(k for k, t in enumerate(pending) if t.text == b';')
            result = header.analyse(doc, pending[last + 1:], known)
        if isinstance(result, header.Declared):
            if crossed and not result.static:
                self.out.problems.append(Problem(
                    pending[0].start, brace.start, 'the declaration is split by #if lines; cannot tell what it is'))
                return
            name = result.name
            self.out.found.append(Found(
                name.start, name.end, result.first, brace.start, result.static, result.inline,
                result.annotated, where, conditions,
            ))
        elif isinstance(result, header.Unclear):
            if self.in_macro and result.reason.startswith('the function header is made by'):
                return      # a statement macro's loop (`list_for_each(...) {`), not a definition
            reason = 'the declaration is split by #if lines; cannot tell what it is' if crossed else result.reason
            self.out.problems.append(Problem(pending[0].start, brace.start, reason))


def _ends_declaration_start(doc: bytes, pending: list[lexer.Token], known: Knowledge) -> bool:
    """Whether tokens cut off by an #if line may begin a declaration that
    goes on after it (`static`, `struct foo *`), rather than be whole items
    (`DEFINE_X(a)` lines with no `;`)."""
    pending = header.strip_instantiations(doc, pending, known)
    return bool(pending) and pending[-1].text != b')'


def _old_style_open(pending: list[lexer.Token]) -> bool:
    """`int f(a, b)` so far: the `;`s of its parameter declarations follow."""
    for k in range(1, len(pending) - 2):
        if pending[k].kind == lexer.ID and pending[k + 1].text == b'(' and pending[k - 1].kind == lexer.ID:
            close = next((j for j in range(k + 2, len(pending)) if pending[j].text == b')'), -1)
            # `int f(a, b)` then a declaration: `int f(a, b);` alone is a prototype.
            if close > k + 2 and close < len(pending) - 1 and header.is_identifier_list(pending[k + 2:close]):
                return True
    return False


def walk(
        doc: bytes, root: Node, known: Callable[[], Knowledge], *, in_macro: bool = False,
        defines: list[MacroDef] | None = None,
) -> Walk:
    """The definitions, problems and #define nodes of one parsed document
    (`defines`: the list to append #define nodes to, as they are met)."""
    walker = _Walker(doc, known, in_macro)
    if defines is not None:
        walker.out = Walk([], [], defines)
    walker.container(root, 0)
    return walker.out
