"""What reading a document finds: definitions, problems and #defines.

Offsets are the document's: the file's, or a #define body's (helpers.py
adds the body's offset).
"""
from __future__ import annotations

from typing import NamedTuple

from tree_sitter import Node


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
