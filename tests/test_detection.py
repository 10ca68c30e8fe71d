"""Detection on the forms of issue 9: made-up attribute macros, what the
tree's headers say, `static` from the code, pasted names, never silent,
bounded diagnostics."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from codemod.c_source.helpers import scan_bytes
from codemod.c_source.lines import LineCounter
from codemod.c_source.macros import ATTRIBUTE
from codemod.c_source.macros import classify
from codemod.c_source.macros import Define
from codemod.c_source.macros import ITEM
from codemod.c_source.macros import Knowledge
from codemod.c_source.macros import MAYBE_STATIC
from codemod.c_source.macros import STATIC
from codemod.c_source.macros import TAKES_ARGS
from codemod.cli import main
from codemod.kernel import header_macros


def names(src: bytes, **kw) -> list[str]:
    return [h.name for h in scan_bytes(src, **kw).helpers]


@pytest.mark.parametrize(('src', 'expected'), (
    pytest.param(b'void __frob_entry rust_helper_a(void)\n{\n}\n', ['rust_helper_a'], id='unknown-after-type'),
    pytest.param(b'frob_t FROB_INIT rust_helper_a(void)\n{\n}\n', ['rust_helper_a'], id='unknown-between-type-and-name'),
    pytest.param(b'FROB_ATTR(3) int rust_helper_a(void)\n{\n}\n', ['rust_helper_a'], id='unknown-with-arguments-first'),
    pytest.param(b'int rust_helper_a(void) FROB_LOCKS(l)\n{\n}\n', ['rust_helper_a'], id='unknown-after-parameters'),
    pytest.param(b'static frob_attr void f(void)\n{\n}\n', [], id='static-before-unknown'),
    pytest.param(b'static __frob_section\nstruct frob *f(int x)\n{\n}\n', [], id='static-then-unknown-own-line'),
    pytest.param(b'static\nint f(void)\n{\n}\n', [], id='static-own-line'),
    pytest.param(b'__frob_cold static int f(void)\n{\n}\n', [], id='static-after-unknown'),
))
def test_generic_rule_for_unknown_words(src, expected):
    scan = scan_bytes(src)
    assert [h.name for h in scan.helpers] == expected
    assert scan.problems == ()


def test_declaration_starts_at_its_first_word_whatever_it_is():
    src = b'/* x */\nFROB_ATTR(3) int rust_helper_a(void)\n{\n}\n'
    [h] = scan_bytes(src).helpers
    assert (h.line, h.col, h.start) == (2, 1, src.index(b'FROB_ATTR'))


def test_static_in_a_define_body():
    src = b'#define GET(f)\t\\\n\tstatic int frob_get_ ## f(struct frob *x)\t\\\n\t{ return x->f; }\nGET(a)\n'
    assert names(src) == []


@pytest.mark.parametrize(('src', 'expected', 'parts'), (
    pytest.param(b'#define H(n) int rust_helper_ ## n ## _open(void) { return 0; }\n',
                 'rust_helper_ ## n ## _open', ('rust_helper_', 'n', '_open'), id='both-sides'),
    pytest.param(b'#define H(a, b) void rust_helper_##a##_to_##b(void) { }\n',
                 'rust_helper_##a##_to_##b', ('rust_helper_', 'a', '_to_', 'b'), id='several'),
))
def test_pasted_names_keep_every_paste(src, expected, parts):
    [h] = scan_bytes(src).helpers
    assert (h.name, h.parts, h.macro) == (expected, parts, 'H')
    assert src[h.start:].startswith(b'void' if b'void rust' in src else b'int')


def test_function_pointer_return():
    src = b'int (*rust_helper_pick(void))(int)\n{\n\treturn 0;\n}\n'
    assert names(src) == ['rust_helper_pick']


@pytest.mark.parametrize('src', (
    pytest.param(b'int rust_helper_kr(a, b)\nint a;\nint b;\n{\n\treturn a;\n}\n', id='clean'),
    pytest.param(b'FROB_X(y)\nint rust_helper_kr(a, b)\nint a;\nint b;\n{\n\treturn a;\n}\n', id='after-a-macro-line'),
))
def test_old_style_definitions(src):
    scan = scan_bytes(src)
    assert [h.name for h in scan.helpers] == ['rust_helper_kr']
    assert scan.problems == ()


def test_old_style_prototype_does_not_swallow_what_follows():
    assert names(b'int f(a, b);\nstatic int g;\nint rust_helper_x(void)\n{\n}\n') == ['rust_helper_x']


@pytest.mark.parametrize(('src', 'lines'), (
    pytest.param(b'#ifdef A\nint rust_helper_x(int a,\n#else\nint rust_helper_x(long a,\n#endif\n\tint b)\n{\n}\n',
                 (2, 7), id='header-split-by-if'),
    pytest.param(b'SYSCALL_FROB(frob, int, a)\n{\n}\n', (1, 2), id='header-made-by-a-macro'),
    pytest.param(b'int BPF_FROB(prog, struct ctx *c)\n{\n}\n', (1, 2), id='capitalised-header-macro'),
    pytest.param(b'#ifdef A\nstatic\n#endif\nint rust_helper_x(void)\n{\n}\n', (2, 5), id='static-in-an-if-block'),
))
def test_what_cannot_be_read_is_a_problem_at_its_lines(src, lines):
    scan = scan_bytes(src)
    assert scan.helpers == ()
    [p] = scan.problems
    assert (p.line, p.end_line) == lines


def test_braces_broken_by_a_body_are_read_again():
    # tree-sitter closes the first body early; the second definition is still found.
    src = (b'void rust_helper_a(int x)\n{\n#ifdef A\n\tif (x) {\n#else\n\tif (!x) {\n#endif\n'
           b'\t\tfrob();\n\t}\n}\n\nint rust_helper_b(void)\n{\n\treturn 0;\n}\n')
    assert names(src) == ['rust_helper_a', 'rust_helper_b']


def test_classify_chains_and_configuration():
    defines = {
        b'__cold': [Define(None, b'__attribute__((__cold__))')],
        b'__init': [Define(None, b'__section(".init.text") __cold')],
        b'__section': [Define(b'(s)', b'__attribute__((__section__(s)))')],
        b'SCOPE': [Define(None, b'static'), Define(None, b'')],
        b'STATIC': [Define(None, b'static')],
        b'DEFINE_X': [Define(b'(n)', b'int n = 1;')],
        b'set_ops': [Define(b'(x)', b'')],
        b'u8_alias': [Define(None, b'unsigned char')],
    }
    known = Knowledge(local=lambda name: defines.get(name, []))
    assert known.flags(b'__init') & ATTRIBUTE and not known.flags(b'__init') & TAKES_ARGS
    assert known.takes_args(b'__section')
    assert known.flags(b'SCOPE') & MAYBE_STATIC and not known.flags(b'SCOPE') & STATIC
    assert known.is_static(b'STATIC')
    assert known.flags(b'DEFINE_X') == ITEM
    assert known.flags(b'set_ops') == ITEM      # an empty stub for a function, not an attribute
    assert classify(defines[b'u8_alias'], known.flags) == 0


def test_header_knowledge_decides(tmp_path, monkeypatch):
    monkeypatch.setenv(header_macros.ENV_CACHE, str(tmp_path / 'cache'))
    (tmp_path / 'include' / 'linux').mkdir(parents=True)
    (tmp_path / 'include' / 'linux' / 'frob.h').write_text(
        '#define FROB_SCOPE static\n'
        '#ifdef CONFIG_FROB\n#define FROB_MAYBE\n#else\n#define FROB_MAYBE static\n#endif\n'
        '#define frob_noinit __attribute__((__section__(".frob")))\n'
        '#define DEFINE_FROB(n) struct frob n = { 0 }\n'
    )
    know = header_macros.knowledge_for(str(tmp_path))
    assert names(b'FROB_SCOPE int f(void)\n{\n}\n', knowledge=know) == []
    scan = scan_bytes(b'FROB_MAYBE int rust_helper_m(void)\n{\n}\n', knowledge=know)
    assert scan.helpers == () and 'some configurations' in scan.problems[0].reason
    src = b'DEFINE_FROB(a)\nint rust_helper_d(void)\n{\n}\n'
    [h] = scan_bytes(src, knowledge=know).helpers
    assert h.start == src.index(b'int')     # the macro line is an item of its own
    # The second time, the cache answers; a changed header makes it stale.
    assert header_macros.learned_macros(str(tmp_path))[b'frob_noinit'] & ATTRIBUTE
    (tmp_path / 'include' / 'linux' / 'frob.h').write_text('#define FROB_SCOPE\n')
    assert b'frob_noinit' not in header_macros.learned_macros(str(tmp_path))


def test_header_knowledge_is_not_asked_for_clean_files(tmp_path):
    asked = []

    def knowledge():
        asked.append(1)
        return Knowledge()
    scan_bytes(b'int rust_helper_a(void)\n{\n}\nstatic long f(int x)\n{\n\treturn x;\n}\n', knowledge=knowledge)
    assert asked == []


def make_tree(tmp_path: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return tmp_path


def run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_binary_file_gets_one_error(tmp_path, capsys):
    rng = random.Random(9)
    noise = bytes(rng.randrange(256) for _ in range(20000))
    root = make_tree(tmp_path, {'rust/helpers/blob.c': noise})
    rc, out, _ = run(capsys, 'check', '--tree', str(root))
    assert rc == 1
    assert out.splitlines() == ['rust/helpers/blob.c:1:1: error: not C source: a binary file (it has NUL bytes) [not-c-source]']


def test_parse_errors_are_capped_per_file(tmp_path, capsys):
    block = b''.join(b'#ifdef A\nint f%d(int a,\n#else\nint f%d(long a,\n#endif\n\tint b)\n{\n}\n' % (n, n)
                     for n in range(6))
    root = make_tree(tmp_path, {'rust/helpers/split.c': block})
    rc, out, _ = run(capsys, 'check', '--tree', str(root))
    lines = out.splitlines()
    assert rc == 1 and len(lines) == 4
    assert all('[parse-error]' in ln for ln in lines)
    assert '3 more places in this file cannot be read (lines 26, 34, 42)' in lines[3]
    rc, out, _ = run(capsys, 'scan', '--json', '--tree', str(root))
    assert len(json.loads(out)['problems']) == 6


def test_static_inline_helper_is_a_warning(tmp_path, capsys):
    root = make_tree(tmp_path, {'rust/helpers/s.c': b'static inline int rust_helper_s(void)\n{\n\treturn 0;\n}\n'})
    rc, out, _ = run(capsys, 'check', '--tree', str(root))
    assert rc == 0
    assert out == ('rust/helpers/s.c:1:1: warning: rust_helper_s is static inline, so Rust cannot link to it'
                   ' [static-inline-helper]\n')
    rc, out, _ = run(capsys, 'scan', '--json', '--tree', str(root))
    assert [r['name'] for r in json.loads(out)['static_inline']] == ['rust_helper_s']


def test_scan_json_carries_the_problems(tmp_path, capsys):
    root = make_tree(tmp_path, {'rust/helpers/m.c': b'FROB_HEADER(a, int, b)\n{\n}\n'})
    rc, out, _ = run(capsys, 'scan', '--json', '--tree', str(root))
    [p] = json.loads(out)['problems']
    assert (p['file'], p['line'], p['end_line']) == ('rust/helpers/m.c', 1, 2)
    assert 'made by the macro FROB_HEADER' in p['message']


def test_a_pool_gives_the_same_answers_in_the_same_order(tmp_path, capsys):
    files = {f'rust/helpers/f{n:03}.c': b'int rust_helper_f%d(void)\n{\n\treturn 0;\n}\n' % n for n in range(40)}
    root = make_tree(tmp_path, files)
    _, one, _ = run(capsys, 'check', '--tree', str(root), '--jobs', '1')
    _, pool, _ = run(capsys, 'check', '--tree', str(root), '--jobs', '3')
    assert one == pool and one.count('missing-annotation') == 40


def test_line_counter_is_right_in_any_order():
    data = b'a\nbb\n\nccc\n'
    counter = LineCounter(data)
    asked = [0, 2, 5, 6, 3, 9, 1]
    assert [counter.point(o) for o in asked] == [
        (data.count(b'\n', 0, o) + 1, o - data.rfind(b'\n', 0, o)) for o in asked
    ]


@pytest.mark.kernel
def test_the_real_helpers_never_make_check_read_the_headers(linux_612, monkeypatch):
    """`check` runs on every commit: on 6.12's helper files the tree's
    headers (a walk of their folders, ~50 ms even with the cache) are not read."""
    read = []
    monkeypatch.setattr(header_macros, 'learned_macros', lambda root: read.append(root) or {})
    knowledge = header_macros.knowledge_for(str(linux_612))
    found = 0
    for path in sorted((linux_612 / 'rust' / 'helpers').glob('*.c')):
        found += len(scan_bytes(path.read_bytes(), knowledge=knowledge).helpers)
    assert found == 31
    assert read == []
