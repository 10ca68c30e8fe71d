"""Every function definition at file scope of one parsed document.

Where tree-sitter's parse is clean (no error in the header, nothing left
open before it), its function_definition nodes are read directly: that is
nearly every definition, and it costs one walk over the top-level nodes.
Around parse errors tree-sitter may split a declaration (`static
__unknown_attr` then `struct foo *f(...)`) or lose track of a body's braces,
so from the last clean boundary on, the items are lexed again (relex.py)
until the braces are back at depth 0 after an item. Nothing there is
skipped silently: a header that cannot be read is a `Problem`.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from tree_sitter import Node

from codemod.c_source import lexer
from codemod.c_source.found import Found
from codemod.c_source.found import MacroDef
from codemod.c_source.found import Walk
from codemod.c_source.macros import Knowledge
from codemod.c_source.relex import define_from_text
from codemod.c_source.relex import Stretch

_CONTAINERS = frozenset(('preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef'))
_DIRECTIVES = frozenset(('preproc_include', 'preproc_def', 'preproc_function_def', 'preproc_call'))
_MACROS = frozenset(('preproc_def', 'preproc_function_def'))
# Statements cannot stand at file scope: tree-sitter closed a body too early.
_LOST = frozenset((
    'return_statement', 'if_statement', 'for_statement', 'while_statement', 'do_statement',
    'switch_statement', 'break_statement', 'continue_statement', 'goto_statement',
    'labeled_statement', 'case_statement',
))
_ANNOTATION_RE = re.compile(rb'\b__rust_helper\b')
_CAPITALS = re.compile(rb'[A-Z][A-Z0-9_]*(?![A-Za-z0-9_])')


def _tree_define(doc: bytes, node: Node, where: Node) -> MacroDef | None:
    """A #define node, read from its text: tree-sitter's fields are wrong
    where its parse of the line went wrong (`#define f(f, g, type)` taken for
    an object-like macro named `char`)."""
    text = doc[node.start_byte:node.end_byte].rstrip(b'\r\n')
    return define_from_text(lexer.Token(lexer.DIRECTIVE, text, node.start_byte, node.end_byte), where, ())


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
            if node is not None and node.type == 'identifier':
                return None     # `T (name)(...)`: more often `MACRO(arg)(...)`; read it again
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
    if name is None or _CAPITALS.match(doc, name.start_byte, name.end_byte):
        return None     # a capitalised name may be a macro making the header: read it again
    return Found(
        name.start_byte, name.end_byte, definition.start_byte, body.start_byte, static, inline,
        bool(_ANNOTATION_RE.search(doc, definition.start_byte, body.start_byte)), where,
    )


def _ends_item(doc: bytes, node: Node) -> bool:
    """Whether a top-level node ends with a real `;` or `}` (not one tree-sitter made up)."""
    return node.end_byte > node.start_byte and doc[node.end_byte - 1] in b';}'


def _may_have_swallowed(doc: bytes, body: Node) -> bool:
    """Whether a body with a parse error may hold what follows it: a macro
    such as `} while_each_x(...)` can make tree-sitter's `do` statement run
    on into the next functions. Their braces in column 0 (kernel style) give
    them away, and then the body is lexed again, as the compiler pairs it."""
    if not body.has_error:
        return False
    inner = body.start_byte + 1, body.end_byte - 1
    return doc.find(b'\n}', *inner) != -1 or doc.find(b'\n{', *inner) != -1


def _lost_track(node: Node) -> bool:
    if node.type in _LOST:
        return True
    return node.type == 'ERROR' and node.child_count > 0 and node.children[0].type == '}'


class _Walker:
    def __init__(self, doc: bytes, known: Callable[[], Knowledge], in_macro: bool, out: Walk):
        self.doc = doc
        self.known = known
        self.in_macro = in_macro
        self.out = out
        self.consumed = 0   # how far stretches were lexed (a directive runs on past nodes)

    def _stretch(self, start: int, where: Node) -> Stretch:
        return Stretch(self.doc, start, where, self.known, self.out, self.in_macro)

    def _restart(self, start: int, where: Node) -> Stretch:
        """Lex again from `start`: what was read there from the tree goes."""
        out = self.out
        out.found[:] = [f for f in out.found if f.first < start]
        out.problems[:] = [p for p in out.problems if p.start < start]
        out.macros[:] = [m for m in out.macros if m.body_start < start]
        return self._stretch(start, where)

    def container(self, node: Node) -> Stretch | None:
        """Walk one block's items; a stretch still open at its end (a
        declaration or a body that goes on after the #if block) goes out,
        and the block around it goes on lexing it."""
        doc = self.doc
        run: Stretch | None = None
        skip = {c.id for c in (node.child_by_field_name('condition'), node.child_by_field_name('name')) if c}
        boundary = node.start_byte
        last_definition = boundary  # where lexing again must start if the tree lost track
        for child in node.children:
            kind = child.type
            if kind == 'comment' or child.is_missing:
                continue    # a `;` tree-sitter made up ends nothing
            if run is not None:
                run.feed(child.end_byte)
                self.consumed = max(self.consumed, run.pos)
                if run.done and (kind in _DIRECTIVES or _ends_item(doc, child) or not child.is_named):
                    run = None
                    boundary = max(child.end_byte, self.consumed)
                continue
            if child.end_byte <= self.consumed:
                continue
            if child.id in skip or not child.is_named:
                boundary = max(child.end_byte, self.consumed)
                continue
            if kind in _CONTAINERS:
                run = self.container(child)
                boundary = child.end_byte
                continue
            if kind in _DIRECTIVES:
                define = _tree_define(doc, child, node) if kind in _MACROS else None
                if define is not None:
                    self.out.macros.append(define)
                boundary = child.end_byte
                continue
            if _lost_track(child):
                run = self._restart(last_definition, node)
            elif kind == 'function_definition':
                found = _from_tree(doc, child, node)
                if found is not None and not _may_have_swallowed(doc, child.children[-1]):
                    self.out.found.append(found)
                    last_definition = child.start_byte
                    boundary = child.end_byte
                    continue
                run = self._stretch(max(boundary, self.consumed), node)
            elif child.has_error or kind == 'compound_statement' or not _ends_item(doc, child):
                # (an item with no `;` of its own, like a lone `DEFINE_X(a)`, ends nothing)
                run = self._stretch(max(boundary, self.consumed), node)
            else:
                boundary = child.end_byte     # a clean declaration or statement: nothing to read
                continue
            run.feed(child.end_byte)
            self.consumed = max(self.consumed, run.pos)
            if run.done and _ends_item(doc, child):
                run = None
                boundary = max(child.end_byte, self.consumed)
        return run


def walk(
        doc: bytes, root: Node, known: Callable[[], Knowledge], *, in_macro: bool = False,
        defines: list[MacroDef] | None = None,
) -> Walk:
    """The definitions, problems and #defines of one parsed document
    (`defines`: the list to append #defines to, as they are met, for the
    knowledge of the file's own macros)."""
    out = Walk([], [], defines if defines is not None else [])
    walker = _Walker(doc, known, in_macro, out)
    if root.type == 'ERROR':
        # Nothing of the tree can be trusted: lex it all.
        run = walker._stretch(0, root)
    else:
        run = walker.container(root)
    if run is not None:
        run.feed(len(doc))
        run.close()
    return out
