"""The first patch of a series: define `__rust_helper`. Bytes in, bytes out.

Two places are supported. `helpers.h` (the default) is a new header that
helpers.c includes before the helper files; `helpers.c` puts the same block
straight into helpers.c, which is the form upstream finally took.
"""
from __future__ import annotations

import re

HELPERS_DIR = 'rust/helpers'
HELPERS_C = f'{HELPERS_DIR}/helpers.c'
HELPERS_H = f'{HELPERS_DIR}/helpers.h'
PLACES = ('helpers.h', 'helpers.c')

SUBJECT = 'rust: helpers: define __rust_helper'
BODY = (
    'Add the __rust_helper annotation for the C helpers that Rust calls. It\n'
    'expands to __always_inline, so that LLVM can inline the helpers into\n'
    'Rust code when their bitcode is linked with it (for example under LTO),\n'
    'and to nothing when bindgen reads the helpers, because bindgen does not\n'
    'generate bindings for inline functions.\n'
    '\n'
    'The following patches annotate the helpers.\n'
)

_DEFINITION = (
    '/*\n'
    ' * __rust_helper marks a C helper that Rust calls. Inlining it into Rust\n'
    ' * saves a function call each time, so it is __always_inline. bindgen must\n'
    ' * still see an ordinary function to bind it, and it skips inline ones, so\n'
    ' * under bindgen the annotation expands to nothing.\n'
    ' */\n'
    '#ifdef __BINDGEN__\n'
    '#define __rust_helper\n'
    '#else\n'
    '#define __rust_helper __always_inline\n'
    '#endif\n'
)

HEADER = (
    '/* SPDX-License-Identifier: GPL-2.0 */\n'
    '#ifndef _RUST_HELPERS_HELPERS_H\n'
    '#define _RUST_HELPERS_HELPERS_H\n'
    '\n'
    '#include <linux/compiler_types.h>\n'
    '\n'
    + _DEFINITION +
    '\n'
    '#endif /* _RUST_HELPERS_HELPERS_H */\n'
)

_DEFINES = re.compile(rb'^[ \t]*#[ \t]*define[ \t]+__rust_helper\b', re.M)
_GUARDED = re.compile(rb'^[ \t]*#[ \t]*ifndef[ \t]+__rust_helper\b', re.M)
_FIRST_C_INCLUDE = re.compile(rb'^[ \t]*#[ \t]*include[ \t]+"[^"]+\.c"', re.M)


class MacroPatchError(Exception):
    pass


def defines_annotation(data: bytes) -> bool:
    """Whether a file defines __rust_helper for real.

    A generated helper file may carry an `#ifndef __rust_helper` fallback
    that defines it as nothing; that does not count.
    """
    return bool(_DEFINES.search(data)) and not _GUARDED.search(data)


def _eol(data: bytes) -> bytes:
    return b'\r\n' if b'\r\n' in data else b'\n'


def _insert_before_helper_includes(helpers_c: bytes, block: str) -> bytes:
    m = _FIRST_C_INCLUDE.search(helpers_c)
    if m is None:
        raise MacroPatchError(f'{HELPERS_C}: no #include "*.c" line to put the definition before')
    eol = _eol(helpers_c)
    text = (block + '\n').replace('\n', eol.decode()).encode()
    return helpers_c[:m.start()] + text + helpers_c[m.start():]


def changes(helpers_c: bytes, place: str) -> list[tuple[str, bytes | None, bytes]]:
    """(path, old bytes or None for a new file, new bytes) for the macro patch."""
    if place == 'helpers.h':
        new_c = _insert_before_helper_includes(helpers_c, '#include "helpers.h"\n')
        return [(HELPERS_C, helpers_c, new_c), (HELPERS_H, None, HEADER.encode())]
    if place == 'helpers.c':
        block = '#include <linux/compiler_types.h>\n\n' + _DEFINITION
        return [(HELPERS_C, helpers_c, _insert_before_helper_includes(helpers_c, block))]
    raise MacroPatchError(f'unknown place for the definition: {place} (choose {" or ".join(PLACES)})')
