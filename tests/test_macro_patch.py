from __future__ import annotations

import subprocess

import pytest

from codemod.kernel import macro_patch

HELPERS_C = (
    b'// SPDX-License-Identifier: GPL-2.0\n'
    b'/*\n * Wrappers Rust can call.\n */\n'
    b'\n'
    b'#include "blk.c"\n'
    b'#include "bug.c"\n'
)


def test_header_place():
    [(c_path, old, new_c), (h_path, h_old, header)] = macro_patch.changes(HELPERS_C, 'helpers.h')
    assert (c_path, old, h_path, h_old) == ('rust/helpers/helpers.c', HELPERS_C, 'rust/helpers/helpers.h', None)
    assert new_c == HELPERS_C.replace(b'#include "blk.c"', b'#include "helpers.h"\n\n#include "blk.c"')
    assert header.startswith(b'/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef _RUST_HELPERS_HELPERS_H\n')
    assert b'#include <linux/compiler_types.h>\n' in header
    assert header.endswith(b'#endif /* _RUST_HELPERS_HELPERS_H */\n')


def test_c_place_keeps_crlf():
    crlf = HELPERS_C.replace(b'\n', b'\r\n')
    [(path, old, new)] = macro_patch.changes(crlf, 'helpers.c')
    assert path == 'rust/helpers/helpers.c'
    assert new.count(b'\n') == new.count(b'\r\n')
    assert new.index(b'#define __rust_helper __always_inline') < new.index(b'#include "blk.c"')
    assert new.replace(b'\r\n', b'\n').count(b'#include <linux/compiler_types.h>\n\n/*') == 1


def test_helpers_c_without_includes_is_an_error():
    with pytest.raises(macro_patch.MacroPatchError, match='no #include'):
        macro_patch.changes(b'// nothing\n', 'helpers.h')


@pytest.mark.parametrize(
    ('data', 'defines'),
    (
        pytest.param(b'#define __rust_helper __always_inline\n', True, id='defined'),
        pytest.param(b'#ifndef __rust_helper\n#define __rust_helper\n#endif\n', False, id='fallback-in-generated-file'),
        pytest.param(b'__rust_helper void rust_helper_x(void) { }\n', False, id='used-only'),
        pytest.param(b'// #define __rust_helper is coming\n', False, id='comment'),
    ),
)
def test_defines_annotation(data, defines):
    assert macro_patch.defines_annotation(data) is defines


def _expand(tmp_path, *defines: str) -> str:
    (tmp_path / 'linux').mkdir(exist_ok=True)
    (tmp_path / 'linux' / 'compiler_types.h').write_text(
        '#define __always_inline inline __attribute__((__always_inline__))\n',
    )
    (tmp_path / 'helpers.h').write_bytes(macro_patch.HEADER.encode())
    (tmp_path / 'use.c').write_text('#include "helpers.h"\nRESULT: __rust_helper END\n')
    res = subprocess.run(
        ['gcc', '-E', '-P', '-I', str(tmp_path), *defines, str(tmp_path / 'use.c')],
        capture_output=True, text=True, check=True,
    )
    return next(ln for ln in res.stdout.splitlines() if ln.startswith('RESULT:'))


def test_header_expands_as_documented_under_gcc(tmp_path):
    assert _expand(tmp_path, '-D__BINDGEN__').split() == ['RESULT:', 'END']
    assert _expand(tmp_path).split() == ['RESULT:', 'inline', '__attribute__((__always_inline__))', 'END']
