"""Bytes to parse tree: tree-sitter-c, and our queries (queries/*.scm),
compiled once, when first needed.
"""
from __future__ import annotations

import functools
import os

from tree_sitter import Language
from tree_sitter import Parser
from tree_sitter import Query
from tree_sitter import Tree

from codemod.plumbing.packages import load_extension
from codemod.plumbing.packages import PACKAGE_DIR
from codemod.plumbing.packages import read_package_text


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


# One query per file, each named by what it captures.
QUERY_FILES = ('function_definitions', 'macro_definitions', 'parse_errors')


@functools.cache
def query() -> Query:
    """Every file of queries/, compiled once, as one query.

    Capture names tell the files' matches apart. tree-sitter compiles the
    three together in less than half the time it takes apart (3 ms against
    8 here), and `check` pays that on every commit.
    """
    return Query(C_LANGUAGE, '\n'.join(_query_text(name) for name in QUERY_FILES))


def compile_query_file(name: str) -> Query:
    """One file of queries/ on its own (tests check each one compiles)."""
    return Query(C_LANGUAGE, _query_text(name))


def _query_text(name: str) -> str:
    # The wheel puts queries/ inside the package (hatch force-include); in a
    # source checkout (and an editable install) it sits beside the package.
    checkout = os.path.join(os.path.dirname(PACKAGE_DIR), 'queries', f'{name}.scm')
    if not os.path.isdir(os.path.join(PACKAGE_DIR, 'queries')) and os.path.isfile(checkout):
        with open(checkout, encoding='utf-8') as f:
            return f.read()
    return read_package_text('queries', f'{name}.scm')
