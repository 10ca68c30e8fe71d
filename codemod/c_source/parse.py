"""Bytes to parse tree: tree-sitter-c, loaded once.

The tree is walked by toplevel.py, not matched with queries: the walk
needs the order and the neighbours of the top-level items, which is what a
query does not give, and compiling one cost `check` 3 ms per run.
"""
from __future__ import annotations

import functools

from tree_sitter import Language
from tree_sitter import Parser
from tree_sitter import Tree

from codemod.plumbing.packages import load_extension


def _c_language_pointer() -> object:
    """tree_sitter_c's language. Its package's __init__ is not run: it
    imports importlib.resources (for query files we do not use), which costs
    `check` about a fifth of its run time."""
    try:
        return load_extension('tree_sitter_c', '_binding').language()
    except (ImportError, OSError, AttributeError):
        import tree_sitter_c
        return tree_sitter_c.language()


C_LANGUAGE = Language(_c_language_pointer())


@functools.cache
def _parser() -> Parser:
    return Parser(C_LANGUAGE)


def parse(text: bytes) -> Tree:
    return _parser().parse(text)
