"""Tests of the independent helper detector in tests/oracle.py.

The oracle is a second opinion on what counts as a helper, so it is tested on
its own here: on small snippets, on every fixture input (against the lists in
tests/fixtures/README.md) and on the real 6.12 tree.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.oracle import Helper
from tests.oracle import helpers

FIXTURES = Path(__file__).resolve().parent / 'fixtures'


def _found(src: bytes) -> list[tuple[str, int, bool, str | None]]:
    return [tuple(h) for h in helpers(src)]


@pytest.mark.parametrize(
    'src',
    (
        pytest.param(b'', id='empty'),
        pytest.param(b'\n\n   \r\n', id='blank'),
        pytest.param(b'void rust_helper_x(void);\n', id='prototype'),
        pytest.param(b'int rust_helper_x(int a,\n\t\t  int b);\n', id='wrapped-prototype'),
        pytest.param(b'static void rust_helper_x(void)\n{\n}\n', id='static'),
        pytest.param(b'static inline int rust_helper_x(void)\n{\n\treturn 0;\n}\n', id='static-inline'),
        pytest.param(b'static __always_inline int f(void)\n{\n\treturn 0;\n}\n', id='static-attr'),
        pytest.param(b'EXPORT_SYMBOL_GPL(rust_helper_x);\nEXPORT_SYMBOL(rust_helper_y);\n', id='export-symbol'),
        pytest.param(b'/* int rust_helper_x(void) { return 0; } */\n', id='block-comment'),
        pytest.param(b'/*\n * void rust_helper_x(void)\n * {\n * }\n */\n', id='multiline-comment'),
        pytest.param(b'// void rust_helper_x(void)\n// {\n// }\n', id='line-comments'),
        pytest.param(b'// a \\\nvoid rust_helper_x(void) { }\n', id='continued-line-comment'),
        pytest.param(b'const char *s = "void rust_helper_x(void) { }";\n', id='string'),
        pytest.param(b"const char c = '{';\nint x;\n", id='char-literal'),
        pytest.param(b'#include "blk.c"\n#include "bug.c"\n', id='helpers-c'),
        pytest.param(b'static_assert(sizeof(int) == 4, "x");\n', id='static-assert'),
        pytest.param(b'static_assert(\n\tsizeof(long) == 8 &&\n\tsizeof(int) == 4,\n\t"y"\n);\n',
                     id='multiline-static-assert'),
        pytest.param(b'#define ID(x) (x)\n', id='expression-macro'),
        pytest.param(b'#define SWAP(a, b) do { int t = a; a = b; b = t; } while (0)\n', id='statement-macro'),
        pytest.param(b'#define INC(x) ({ (x) + 1; })\n', id='statement-expression-macro'),
        pytest.param(b'#define rust_helper_x(a) { a }\n', id='function-like-macro-name'),
        pytest.param(b'#define rust_helper_x (void) { }\n', id='object-like-macro'),
        pytest.param(b'struct frob_ops ops = {\n\t.open = frob_open,\n};\n', id='struct-initialiser'),
        pytest.param(b'int levels[] = { 1, 2, 3 };\n', id='array-initialiser'),
        pytest.param(b'int levels[2][2] = {\n\t{ 1, 2 },\n\t{ 3, 4 },\n};\n', id='nested-initialiser'),
        pytest.param(b'struct frob {\n\tint (*fn)(int a);\n};\n', id='struct-definition'),
        pytest.param(b'typedef int (frob_fn)(int a);\n', id='typedef'),
        pytest.param(b'DEFINE_FROB(frob_a)\nDEFINE_FROB(frob_b);\n', id='macro-instantiations'),
        pytest.param(b'__printf(1, 2) void rust_helper_x(const char *f, ...);\n', id='attributed-prototype'),
        pytest.param(b'\xef\xbb\xbf// \xff\xfe\xe9 void rust_helper_x(void) { }\n', id='bom-and-bad-bytes'),
    ),
)
def test_not_helpers(src):
    assert helpers(src) == []


@pytest.mark.parametrize(
    ('src', 'expected'),
    (
        pytest.param(
            b'void rust_helper_a(int x)\n{\n\tf(x);\n}\n',
            [('rust_helper_a', 1, False, None)],
            id='one-line-header',
        ),
        pytest.param(
            b'void rust_helper_a(void) { }\n',
            [('rust_helper_a', 1, False, None)],
            id='brace-on-same-line',
        ),
        pytest.param(
            b'// x\n\nconst char *rust_helper_b(int e)\n{\n}\nstruct page *rust_helper_c(void)\n{\n}\n',
            [('rust_helper_b', 3, False, None), ('rust_helper_c', 6, False, None)],
            id='pointer-returns',
        ),
        pytest.param(
            b'refcount_t rust_helper_R(int n)\n{\n\treturn (refcount_t)R(n);\n}\n',
            [('rust_helper_R', 1, False, None)],
            id='typedef-return',
        ),
        pytest.param(
            b'void rust_helper_d(struct a *a,\n\t\t   struct b *b)\n{\n}\n',
            [('rust_helper_d', 1, False, None)],
            id='wrapped-params',
        ),
        pytest.param(
            b'void * __must_check __realloc_size(2)\nrust_helper_e(const void *p, size_t n)\n{\n}\n',
            [('rust_helper_e', 1, False, None)],
            id='return-type-own-line',
        ),
        pytest.param(
            b'\n__noreturn void rust_helper_f(void)\n{\n}\n',
            [('rust_helper_f', 2, False, None)],
            id='noreturn-first',
        ),
        pytest.param(
            b'__printf(1, 0) void rust_helper_p(const char *fmt, va_list ap)\n{\n}\n',
            [('rust_helper_p', 1, False, None)],
            id='printf-first',
        ),
        pytest.param(
            b'bool rust_helper_g(__force const void *p, void __user *u, int __percpu *c)\n{\n}\n',
            [('rust_helper_g', 1, False, None)],
            id='param-attributes',
        ),
        pytest.param(
            b'void rust_helper_l(struct s *s) __acquires(s->lock)\n{\n}\n'
            b'void rust_helper_u(struct s *s)\n\t__releases(&s->lock)\n{\n}\n',
            [('rust_helper_l', 1, False, None), ('rust_helper_u', 4, False, None)],
            id='trailing-lock-annotations',
        ),
        pytest.param(
            b'__rust_helper __force void *rust_helper_g(long e)\n{\n}\n',
            [('rust_helper_g', 1, True, None)],
            id='annotated-same-line',
        ),
        pytest.param(
            b'__rust_helper\nint\nrust_helper_h(const int *v)\n{\n}\n',
            [('rust_helper_h', 1, True, None)],
            id='annotated-line-above',
        ),
        pytest.param(
            b'#undef wrapped\nvoid wrapped(int x)\n{\n}\n',
            [('wrapped', 2, False, None)],
            id='no-prefix',
        ),
        pytest.param(
            b'void __frob_init(struct f *f, const char *n)\n{\n}\n',
            [('__frob_init', 1, False, None)],
            id='double-underscore-name',
        ),
        pytest.param(
            b'int rust_helper_o()\n{\n\treturn 0;\n}\n',
            [('rust_helper_o', 1, False, None)],
            id='empty-parens',
        ),
        pytest.param(
            b'void rust_helper_i(void) { }\r\nint rust_helper_j(void)\r\n{\r\n}\r\n',
            [('rust_helper_i', 1, False, None), ('rust_helper_j', 2, False, None)],
            id='crlf',
        ),
        pytest.param(
            b'/* caf\xe9 */\nvoid rust_helper_k(void)  \n{\n}\n',
            [('rust_helper_k', 2, False, None)],
            id='latin1-and-trailing-space',
        ),
        pytest.param(
            b'#ifdef A\nvoid rust_helper_x(void) { }\n#elif defined(B) && C > 1\n'
            b'void rust_helper_x(void) { }\n#else\n# ifndef D\nvoid rust_helper_x(void) { }\n'
            b'# endif\n#endif\n',
            [('rust_helper_x', 2, False, None), ('rust_helper_x', 4, False, None),
             ('rust_helper_x', 7, False, None)],
            id='all-branches',
        ),
        pytest.param(
            b'void rust_helper_y(void)\n{\n#ifdef E\n\tif (a) {\n#else\n\tif (b) {\n#endif\n'
            b'\t\tf();\n\t}\n}\nvoid rust_helper_z(void)\n{\n}\n',
            [('rust_helper_y', 1, False, None), ('rust_helper_z', 11, False, None)],
            id='unbalanced-branches-in-body',
        ),
        pytest.param(
            b'#ifndef __rust_helper\n#define __rust_helper\n#endif\n\n__rust_helper\nvoid\nrust_helper_q(int *v)\n{\n}\n',
            [('rust_helper_q', 5, True, None)],
            id='annotation-fallback',
        ),
        pytest.param(
            b'void rust_helper_s(void)\n{\n\tputs("}");\n\tg(\'{\');\n\t/* } */\n}\n'
            b'void rust_helper_t(void)\n{\n}\n',
            [('rust_helper_s', 1, False, None), ('rust_helper_t', 7, False, None)],
            id='braces-in-strings-and-comments',
        ),
        pytest.param(
            b'void rust_helper_v(void)\n{\n\tstruct s x = { 1 };\n\tcall(rust_helper_w(2));\n}\n',
            [('rust_helper_v', 1, False, None)],
            id='calls-and-initialisers-in-body',
        ),
        pytest.param(
            b'static_assert(sizeof(int) == 4);\nEXPORT_SYMBOL_GPL(rust_helper_a);\n'
            b'int rust_helper_b(void)\n{\n}\n',
            [('rust_helper_b', 3, False, None)],
            id='after-statements',
        ),
        pytest.param(
            b'#define DEFINE_GET(name)\t\t\t\t\\\n'
            b'\tint rust_helper_##name(struct s *s)\t\\\n'
            b'\t{\t\t\t\t\t\t\\\n'
            b'\t\treturn name(s);\t\t\t\t\\\n'
            b'\t}\n'
            b'\n'
            b'DEFINE_GET(s_get)\n'
            b'DEFINE_GET(s_put)\n'
            b'void rust_helper_after(void)\n{\n}\n',
            [('rust_helper_##name', 2, False, 'DEFINE_GET'),
             ('rust_helper_after', 9, False, None)],
            id='macro-body',
        ),
        pytest.param(
            b'#define PAIR(p, t) \\\r\n'
            b'\t__rust_helper void rust_helper_ ## p ## _on(t *x) { p##_on(x); } \\\r\n'
            b'\tstatic void p##_local(t *x) { } \\\r\n'
            b'\tvoid rust_helper_##p##_off(t *x) { p##_off(x); }\r\n'
            b'PAIR(frob, struct frob)\r\n',
            [('rust_helper_##p##_on', 2, True, 'PAIR'),
             ('rust_helper_##p##_off', 4, False, 'PAIR')],
            id='macro-body-two-functions-crlf',
        ),
    ),
)
def test_helpers_found(src, expected):
    assert _found(src) == expected


def test_result_is_named():
    [h] = helpers(b'__rust_helper void rust_helper_a(void)\n{\n}\n')
    assert h == Helper(name='rust_helper_a', line=1, annotated=True, in_macro=None)


# The checklist in tests/fixtures/README.md, as data: case -> helper names in
# file order (a name appears once per definition).
EXPECTED: dict[str, list[str]] = {
    'one_line_header': [
        'rust_helper_frob_start',
        'rust_helper_frob_state',
        'rust_helper_frob_is_idle',
    ],
    'pointer_returns': [
        'rust_helper_frob_name',
        'rust_helper_frob_ring_page',
        'rust_helper_frob_priv',
        'rust_helper_FROB_REFS_INIT',
    ],
    'wrapped_params': [
        'rust_helper_frob_queue_init',
        'rust_helper_frob_copy_to_user',
        'rust_helper_frob_bind',
    ],
    'return_type_own_line': [
        'rust_helper_krealloc_like',
        'rust_helper_frob_alloc',
        'rust_helper_frob_buf_get',
    ],
    'attribute_macros': [
        'rust_helper_FROB_BUG',
        'rust_helper_FROB_ERR_PTR',
        'rust_helper_FROB_IS_ERR',
        'rust_helper_frob_try_get',
        'rust_helper_frob_peek_user',
        'rust_helper_frob_readl',
        'rust_helper_frob_count_event',
        'rust_helper_frob_lock',
        'rust_helper_frob_unlock',
        'rust_helper_frob_vlog',
    ],
    'conditionals': [
        'rust_helper_frob_check',
        'rust_helper_frob_check',
        'rust_helper_frob_stat_read',
        'rust_helper_frob_dma_base',
        'rust_helper_frob_dma_base',
        'rust_helper_frob_reset',
    ],
    'already_annotated': [
        'rust_helper_frob_get',
        'rust_helper_frob_put',
        'rust_helper_frob_users',
        'rust_helper_frob_cookie',
    ],
    'no_prefix': [
        'rust_helper_frob_ring_reset',
        'frob_ring_space',
        'rust_helper_frob_ring_full',
    ],
    'macro_body': [
        'rust_helper_##name',
        'rust_helper_##prefix##_lock',
        'rust_helper_##prefix##_unlock',
        'rust_helper_frob_flush',
    ],
    'generated_file': [
        'rust_helper_frob_counter_read',
        'rust_helper_frob_counter_set',
        'rust_helper_frob_counter_add',
        'rust_helper_frob_counter_dec_and_test',
        'rust_helper_frob_counter_xchg',
    ],
    'subdirectory': [
        'rust_helper_frob_sk',
        'rust_helper_frob_skb_hdrlen',
    ],
    'not_helpers': [
        'rust_helper_frob_real',
    ],
    'crlf': [
        'rust_helper_frob_resume',
        'rust_helper_frob_suspend',
    ],
    'helpers_c': [],
    'unknown_attributes': [
        'rust_helper_frob_wake',
        'rust_helper_frob_status',
        'rust_helper_frob_enter',
        'rust_helper_frob_count',
        'rust_helper_frob_buf',
    ],
    'old_style_definitions': [
        'rust_helper_frob_add',
        'rust_helper_frob_scale',
        'rust_helper_frob_after',
    ],
    'macro_pastes': [
        'rust_helper_##name##_open',
        'rust_helper_##a##_to_##b',
        'rust_helper_frob_sync',
    ],
    'storage_class': [
        'rust_helper_frob_public',
    ],
    'function_pointer_return': [
        'rust_helper_frob_pick',
        'rust_helper_frob_handler',
        'rust_helper_frob_cb',
    ],
    'one_line_body': [
        'rust_helper_frob_zero',
        'rust_helper_frob_nop',
        'rust_helper_frob_set',
        'rust_helper_frob_get',
    ],
}

# Helpers that already carry __rust_helper (the README's "(annotated)").
EXPECTED_ANNOTATED: dict[str, set[str]] = {
    'already_annotated': {'rust_helper_frob_get', 'rust_helper_frob_put', 'rust_helper_frob_cookie'},
    'generated_file': {
        'rust_helper_frob_counter_read',
        'rust_helper_frob_counter_set',
        'rust_helper_frob_counter_dec_and_test',
    },
}

EXPECTED_MACROS: dict[str, list[str | None]] = {
    'macro_body': ['FROB_COUNTER_HELPER', 'FROB_LOCK_HELPERS', 'FROB_LOCK_HELPERS', None],
    'macro_pastes': ['FROB_FILE_HELPERS', 'FROB_PAIR', None],
}


def test_every_fixture_has_expectations():
    cases = {p.parent.name for p in FIXTURES.glob('*/input.c')}
    assert cases == set(EXPECTED)


@pytest.mark.parametrize('case', sorted(EXPECTED))
def test_fixture_helpers(case):
    found = helpers((FIXTURES / case / 'input.c').read_bytes())
    assert [h.name for h in found] == EXPECTED[case]
    assert {h.name for h in found if h.annotated} == EXPECTED_ANNOTATED.get(case, set())
    assert [h.in_macro for h in found] == EXPECTED_MACROS.get(case, [None] * len(found))
    lines = [h.line for h in found]
    assert lines == sorted(lines)


def test_readme_lists_every_case():
    readme = (FIXTURES / 'README.md').read_text('utf-8')
    for case, names in EXPECTED.items():
        row = next((ln for ln in readme.splitlines() if ln.startswith(f'| `{case}` |')), None)
        assert row is not None, case
        for name in names:
            assert f'`{name}`' in row, (case, name)


def test_crlf_fixture_bytes():
    data = (FIXTURES / 'crlf' / 'input.c').read_bytes()
    assert data.count(b'\r\n') == data.count(b'\n')
    assert b'\xe9' in data
    assert b' \r\n' in data and b'\t\r\n' in data


@pytest.mark.kernel
def test_linux_612_helpers(linux_612: Path):
    root = linux_612 / 'rust' / 'helpers'
    per_file = Counter()
    for path in sorted(root.rglob('*.c')):
        for h in helpers(path.read_bytes()):
            assert h.name.startswith('rust_helper_'), (path, h)
            assert not h.annotated and h.in_macro is None, (path, h)
            per_file[path.relative_to(root).as_posix()] += 1
    assert sum(per_file.values()) == 31
    assert len(per_file) == 17
    assert 'helpers.c' not in per_file and 'build_assert.c' not in per_file
