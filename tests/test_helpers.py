from __future__ import annotations

import pytest

from codemod.c_source.helpers import generated_by
from codemod.c_source.helpers import scan_bytes


def _found(src: bytes):
    return [(h.name, h.line, h.col, h.annotated) for h in scan_bytes(src).helpers]


@pytest.mark.parametrize(
    'src',
    (
        pytest.param(b'void rust_helper_x(void);\n', id='prototype'),
        pytest.param(b'static void rust_helper_x(void)\n{\n}\n', id='static'),
        pytest.param(b'static inline int rust_helper_x(void)\n{\n\treturn 0;\n}\n', id='static-inline'),
        pytest.param(b'EXPORT_SYMBOL_GPL(rust_helper_x);\n', id='export-symbol'),
        pytest.param(b'/* int rust_helper_x(void) { return 0; } */\n', id='comment'),
        pytest.param(b'// void rust_helper_x(void)\n// {\n// }\n', id='line-comments'),
        pytest.param(b'const char *s = "void rust_helper_x(void) { }";\n', id='string'),
        pytest.param(b'#include "blk.c"\n#include "bug.c"\n', id='helpers-c'),
        pytest.param(b'static_assert(sizeof(int) == 4, "x");\n', id='static-assert'),
        pytest.param(b'#define ID(x) (x)\n', id='expression-macro'),
        pytest.param(b'', id='empty'),
    ),
)
def test_not_helpers(src):
    scan = scan_bytes(src)
    assert scan.helpers == ()
    assert scan.problems == ()


@pytest.mark.parametrize(
    ('src', 'expected'),
    (
        pytest.param(
            b'void rust_helper_a(int x)\n{\n}\n',
            [('rust_helper_a', 1, 1, False)],
            id='one-line-header',
        ),
        pytest.param(
            b'const char *rust_helper_b(int e)\n{\n}\nstruct page *rust_helper_c(void)\n{\n}\n',
            [('rust_helper_b', 1, 1, False), ('rust_helper_c', 4, 1, False)],
            id='pointer-returns',
        ),
        pytest.param(
            b'void rust_helper_d(struct a *a,\n\t\t   struct b *b)\n{\n}\n',
            [('rust_helper_d', 1, 1, False)],
            id='wrapped-params',
        ),
        pytest.param(
            b'void * __must_check __realloc_size(2)\nrust_helper_e(const void *p, size_t n)\n{\n}\n',
            [('rust_helper_e', 1, 1, False)],
            id='return-type-own-line',
        ),
        pytest.param(
            b'\n__noreturn void rust_helper_f(void)\n{\n}\n',
            [('rust_helper_f', 2, 1, False)],
            id='noreturn-first',
        ),
        pytest.param(
            b'__rust_helper __force void *rust_helper_g(long e)\n{\n}\n',
            [('rust_helper_g', 1, 1, True)],
            id='annotated-same-line',
        ),
        pytest.param(
            b'__rust_helper\nint\nrust_helper_h(const int *v)\n{\n}\n',
            [('rust_helper_h', 1, 1, True)],
            id='annotated-line-above',
        ),
        pytest.param(
            b'void wrapped(int x)\n{\n}\n',
            [('wrapped', 1, 1, False)],
            id='no-prefix',
        ),
        pytest.param(
            b'void rust_helper_i(void) { }\r\nint rust_helper_j(void)\r\n{\r\n}\r\n',
            [('rust_helper_i', 1, 1, False), ('rust_helper_j', 2, 1, False)],
            id='crlf',
        ),
    ),
)
def test_helpers_found(src, expected):
    scan = scan_bytes(src)
    assert _found(src) == expected
    assert scan.problems == ()


def test_attribute_macro_on_a_shared_line_does_not_attach():
    src = b'#define A __always_inline\nvoid rust_helper_x(void)\n{\n}\n'
    [helper] = scan_bytes(src).helpers
    assert (helper.line, helper.col, helper.start) == (2, 1, src.index(b'void'))


def test_header_lines_end_before_the_brace():
    src = b'void rust_helper_x(int a,\n\t\t   int b)\n{\n}\nvoid rust_helper_y(void) {\n}\n'
    x, y = scan_bytes(src).helpers
    assert x.header_lines == (1, 2)
    assert y.header_lines == (5, 5)


def test_conditions():
    src = (
        b'#ifdef CONFIG_A\n'
        b'void rust_helper_x(void) { }\n'
        b'#elif defined(CONFIG_B) && CONFIG_C > 1\n'
        b'void rust_helper_x(void) { }\n'
        b'#else\n'
        b'# ifndef CONFIG_D\n'
        b'void rust_helper_x(void) { }\n'
        b'# endif\n'
        b'#endif\n'
        b'void rust_helper_y(void)\n{\n#ifdef CONFIG_E\n\tf();\n#endif\n}\n'
    )
    helpers = scan_bytes(src).helpers
    assert [h.conditions for h in helpers] == [
        ('CONFIG_A',),
        ('!CONFIG_A', 'defined(CONFIG_B) && CONFIG_C > 1'),
        ('!CONFIG_A', '!(defined(CONFIG_B) && CONFIG_C > 1)', '!CONFIG_D'),
        (),
    ]
    assert [h.name for h in helpers] == ['rust_helper_x'] * 3 + ['rust_helper_y']


def test_macro_body_helpers():
    src = (
        b'#define DEFINE_GET(name)\t\t\t\t\\\n'
        b'\tint rust_helper_##name(struct s *s)\t\\\n'
        b'\t{\t\t\t\t\t\t\\\n'
        b'\t\treturn name(s);\t\t\t\t\\\n'
        b'\t}\n'
        b'\n'
        b'DEFINE_GET(s_get)\n'
        b'DEFINE_GET(s_put)\n'
        b'void rust_helper_after(void)\n{\n}\n'
    )
    scan = scan_bytes(src)
    assert [(h.name, h.line, h.col, h.macro) for h in scan.helpers] == [
        ('rust_helper_##name', 2, 2, 'DEFINE_GET'),
        ('rust_helper_after', 9, 1, None),
    ]
    assert scan.problems == ()


def test_generated_file():
    src = (
        b'// SPDX-License-Identifier: GPL-2.0\n\n'
        b'// Generated by scripts/atomic/gen-rust-atomic-helpers.sh\n'
        b'// DO NOT MODIFY THIS FILE DIRECTLY\n'
    )
    assert generated_by(src) == (True, 'scripts/atomic/gen-rust-atomic-helpers.sh')
    assert generated_by(b'// SPDX-License-Identifier: GPL-2.0\n') == (False, None)
    assert generated_by(b'/* DO NOT EDIT: made by a tool */\n') == (True, None)


def test_unreadable_header_is_a_problem_not_a_silent_miss():
    src = b'#ifdef CONFIG_A\nvoid rust_helper_x(int a,\n#else\nvoid rust_helper_x(long a,\n#endif\n\tint b)\n{\n}\n'
    scan = scan_bytes(src)
    assert scan.helpers == ()
    assert [(p.line, p.end_line) for p in scan.problems] == [(2, 7)]


def test_empty_and_blank_files():
    assert scan_bytes(b'').empty
    assert scan_bytes(b'\n\n  \n').empty
    assert not scan_bytes(b'// x\n').empty
