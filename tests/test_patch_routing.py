"""Routing a patch file as `get_maintainer.pl PATCHFILE` does: the file
names and K: keywords it reads (kernel/maintainers/patch_text.py), the
router on them, and addressing a mail by its own text (mail/routed.py).

tests/test_routing_kernel.py runs the kernel's get_maintainer.pl on the
same patches as the oracle."""
from __future__ import annotations

import textwrap

import pytest

from codemod.kernel.maintainers import keyword_regex
from codemod.kernel.maintainers import patch_text
from codemod.kernel.maintainers.routing import Maintainers
from codemod.mail import routed
from codemod.mail.routed import Recipients
from codemod.plumbing.errors import PathError
from tests.test_maintainers import FIXTURE
from tests.test_maintainers import MAILMAP

# Keyword forms the 6.12 MAINTAINERS uses, each under a section of its own.
KEYWORD_SECTIONS = textwrap.dedent('''\

    ALTERNATION KEYWORD
    M:\tAlma Alternation <alma@example.org>
    S:\tMaintained
    F:\tinclude/linux/phy.h
    K:\tphy\\.h|struct\\s+phyx

    FLAGGED KEYWORD
    M:\tFlora Flag <flora@example.org>
    S:\tMaintained
    K:\t(?i)pidfd

    WORD KEYWORD
    M:\tWanda Word <wanda@example.org>
    S:\tMaintained
    K:\t\\bwidget_\\w+
''')
KEYWORD_FIXTURE = FIXTURE.replace('\nTHE REST\n', KEYWORD_SECTIONS + '\nTHE REST\n')


@pytest.fixture(scope='module')
def index() -> Maintainers:
    return Maintainers.parse(KEYWORD_FIXTURE, mailmap_text=MAILMAP)


def patch(*, subject: str = 'lib: a change', body: str = 'A change.\n', diff: str | None = None,
          encoding: str = 'utf-8') -> bytes:
    diff = one_file('lib/delta.c', '+x', ' y') if diff is None else diff
    return (f'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n'
            f'From: Ada Example <ada@example.org>\nSubject: [PATCH] {subject}\n\n{body}\n'
            f'Signed-off-by: Ada Example <ada@example.org>\n---\n{diff}-- \n2.39.5\n\n').encode(encoding)


def one_file(path: str, *lines: str) -> str:
    return (f'diff --git a/{path} b/{path}\nindex 1111111..2222222 100644\n--- a/{path}\n+++ b/{path}\n'
            f'@@ -1,2 +1,2 @@\n' + ''.join(f'{line}\n' for line in lines))


def names(index: Maintainers, read: patch_text.PatchRead) -> list[str]:
    return [index.sections[index._keywords[i].section].name for i in sorted(read.keywords)]


# -- file names ------------------------------------------------------------------

RENAME_AND_NEW = (
    'diff --git a/lib/old.c b/lib/new.c\nsimilarity index 90%\nrename from lib/old.c\n'
    'rename to lib/new.c\n--- a/lib/old.c\n+++ b/lib/new.c\n@@ -1,2 +1,2 @@\n-a\n+b\n'
    'diff --git a/drivers/orphan.c b/drivers/orphan.c\nnew file mode 100644\n'
    'index 0000000..2222222\n--- /dev/null\n+++ b/drivers/orphan.c\n@@ -0,0 +1 @@\n+x\n')
STAT = ' lib/{old.c => new.c}  | 2 +-\n mode change 100644 => 100755 tools/run.sh\n\n'


def test_file_names_from_every_kind_of_line(index):
    read = index.read_patch(patch(diff=STAT + RENAME_AND_NEW))
    # Sorted and unique; `/dev/null` loses everything up to its first `/`.
    assert read.files == ['dev/null', 'drivers/orphan.c', 'lib/new.c', 'lib/old.c', 'tools/run.sh']


def test_a_removed_line_that_starts_with_two_dashes_is_a_file_name(index):
    # The script's `^---\\s+(\\S+)` also takes a removed `-- x` line.
    read = index.read_patch(patch(diff=one_file('lib/delta.c', '--- comment', ' context')))
    assert read.files == ['comment', 'lib/delta.c']


def test_a_name_with_a_space_is_cut_at_it(index):
    diff = 'diff --git a/lib/a b.c b/lib/a b.c\n--- a/lib/a b.c\t\n+++ b/lib/a b.c\t\n@@ -1 +1 @@\n-a\n+b\n'
    assert index.read_patch(patch(diff=diff)).files == ['lib/a']


# -- keywords ------------------------------------------------------------------

KEYWORD_CASES = [
    pytest.param(dict(subject='widget_core: rework'), ['WORD KEYWORD'], id='subject'),
    pytest.param(dict(body='Calls widget_init() once.\n'), ['WORD KEYWORD'], id='message'),
    pytest.param(dict(diff=one_file('lib/delta.c', '+\twidget_init();', ' x')), ['WORD KEYWORD'], id='added-line'),
    pytest.param(dict(diff=one_file('lib/delta.c', '-\twidget_init();', ' x')), ['WORD KEYWORD'], id='removed-line'),
    pytest.param(dict(diff=one_file('lib/delta.c', '+PIDFD_THING', ' x')), ['FLAGGED KEYWORD'], id='leading-flag'),
    # The script reads its input as UTF-8: `é` is a word character.
    pytest.param(dict(body='Calls widget_\u00e9t\u00e9.\n'), ['WORD KEYWORD'], id='unicode-word'),
    # The other alternative of `phy\\.h|struct\\s+phyx` matches any line.
    pytest.param(dict(diff=one_file('lib/delta.c', ' struct phyx *p;', '+x')), ['ALTERNATION KEYWORD'],
                 id='alternative-on-context-line'),
]


@pytest.mark.parametrize(('kwargs', 'expected'), KEYWORD_CASES)
def test_keyword_hits(index, kwargs, expected):
    assert names(index, index.read_patch(patch(**kwargs))) == expected


MISS_CASES = [
    pytest.param(dict(diff=one_file('lib/delta.c', ' widget_init();', '+x')), id='context-line'),
    pytest.param(dict(diff=one_file('lib/widget_x.c', '+x', ' y')), id='file-name-lines'),
    pytest.param(dict(body='Fixes: 123456789abc ("widget_core: rework")\n'), id='fixes-line'),
    # Not UTF-8: Perl reads the byte as the text `\xE9`, no word character.
    pytest.param(dict(body='Calls widget_\u00e9t\u00e9.\n', encoding='latin-1'), id='invalid-utf-8'),
    pytest.param(dict(diff=one_file('lib/delta.c', ' #include <linux/phy.h>', '+x')),
                 id='first-alternative-on-context-line'),
]


@pytest.mark.parametrize('kwargs', MISS_CASES)
def test_keyword_misses(index, kwargs):
    assert names(index, index.read_patch(patch(**kwargs))) == []


def test_first_alternative_of_a_keyword_after_the_prefix(index):
    read = index.read_patch(patch(diff=one_file('lib/delta.c', '+#include <linux/phy.h>', ' x')))
    assert names(index, read) == ['ALTERNATION KEYWORD']


@pytest.mark.parametrize(('pattern', 'expected'), [
    pytest.param('a|b(c|d)|[|]|[]|x]|\\|y', ['a', 'b(c|d)', '[|]', '[]|x]', '\\|y'], id='nested'),
    pytest.param('plain', ['plain'], id='one'),
])
def test_top_level_alternatives(pattern, expected):
    assert keyword_regex.top_level_alternatives(pattern) == expected


@pytest.mark.parametrize(('keyword', 'expected'), [
    pytest.param('(?i)pidfd|clone3', '^[+-].*(?i:pidfd)|(?i:clone3)', id='flag-on-each-alternative'),
    pytest.param('\\bfoo', '^[+-].*\\bfoo', id='plain'),
])
def test_joined_like_perl_interpolation(keyword, expected):
    assert keyword_regex.joined(patch_text.DIFF_PREFIX, keyword) == expected


@pytest.mark.parametrize(('keyword', 'expected'), [
    pytest.param('\\bTIF_SECCOMP\\b', [('TIF_SECCOMP', False)], id='word'),
    pytest.param('(devm_)?gpio_(request|free)', [('gpio_', False)], id='after-optional-group'),
    pytest.param('\\b(pstore|ramoops)', [('pstore', False), ('ramoops', False)], id='required-group'),
    pytest.param('\\b(?i:clang|llvm)\\b', [('clang', True), ('llvm', True)], id='case-insensitive-group'),
    pytest.param('(?i)pidfd', [('pidfd', True)], id='leading-flag'),
    pytest.param('struct\\s+phylink|\\.phy', [('phylink', False), ('.phy', False)], id='alternatives'),
    pytest.param('ab+c?d', [('ab', False)], id='quantifiers'),
    pytest.param('x{0,2}yz', [('yz', False)], id='optional-by-count'),
    pytest.param('a b', [('ab', False)], id='verbose-space'),
    pytest.param('(|_x)', None, id='empty-alternative'),
    pytest.param('[ab]c', [('c', False)], id='class'),
    pytest.param('foo # comment', None, id='verbose-comment'),
])
def test_required_literals(keyword, expected):
    assert keyword_regex.required_literals(keyword) == expected


@pytest.mark.parametrize(('keyword', 'line'), [
    pytest.param('\\b(?i:rust)\\b', 'A Ru\u017fT line', id='long-s-folds-to-s'),
    pytest.param('(?i)kernel', '\u212aERNEL', id='kelvin-sign'),
])
def test_case_insensitive_literals_fold_as_python_re_does(keyword, line):
    index = Maintainers.parse(f'KW\nM:\tK <k@example.org>\nK:\t{keyword}\n')
    assert index.read_patch(patch(body=line + '\n')).keywords == frozenset({0})


def test_bytes_that_are_not_utf8_read_as_perl_escapes():
    assert patch_text.perl_text(b'a\xe9b \xf0\x9f\x98c \xc3\xa9') == 'a\\xE9b \\xF0\\x9F\\x98c \u00e9'


def test_crlf_lines_and_a_last_line_without_newline(index):
    data = patch(diff=one_file('lib/delta.c', '+widget_x();', ' y')).replace(b'\n', b'\r\n')
    read = index.read_patch(data.rstrip(b'\r\n'))
    assert read.files == ['lib/delta.c'] and names(index, read) == ['WORD KEYWORD']


# -- the router on a patch ------------------------------------------------------------

def test_keyword_sections_come_after_path_sections(index):
    data = patch(diff=one_file('drivers/orphan.c', '+\tdelta_magic();', ' x'))
    route = index.route_patch(data)
    assert route.to == ('Dan Delta <dan@example.org>', 'Dora Delta <dora@example.org>',
                        '"Ji-Ze Someone (Nickname)" <ji@example.org>')
    assert route.cc == ('orphans@lists.example.org', 'linux-kernel@vger.kernel.org')
    assert index.route(['drivers/orphan.c']).to == ()


def test_files_are_routed_in_sorted_order(index):
    # -f takes the names as given; a patch's names are sorted first.
    diff = one_file('rust/helpers/mutex.c', '+x', ' y') + one_file('drivers/beta1.c', '+x', ' y')
    assert index.route_patch(patch(diff=diff)) == index.route(['drivers/beta1.c', 'rust/helpers/mutex.c'])
    assert index.route_patch(patch(diff=diff)) != index.route(['rust/helpers/mutex.c', 'drivers/beta1.c'])


def test_patch_recipients_are_the_nol_and_nom_lines(index):
    data = patch(diff=one_file('drivers/alpha/a.c', '+x', ' y'))
    assert index.patch_recipients(data, lists=False) == [
        'Alice Alpha <alice@example.org>', '"Rita R. Reviewer" <rita@example.org>']
    assert index.patch_recipients(data, maintainers=False) == [
        '"Rita R. Reviewer" <rita@example.org>', 'alpha-devel@lists.example.org', 'linux-kernel@vger.kernel.org']


# -- a mail addressed by its own text ------------------------------------------------

def render_with(r: Recipients) -> bytes:
    return ('To: ' + ', '.join(r.to) + '\nCc: ' + ', '.join(r.cc) + '\n\nbody\n').encode()


def test_address_reroutes_until_the_text_agrees():
    # A recipient's own line brings in a second one (as `Cc: rust-for-linux@`
    # would hit `K: \\b(?i:rust)\\b`).
    def route(data: bytes) -> Recipients:
        to = ('A <a@example.org>',) + (('B <b@example.org>',) if b'a@example.org' in data else ())
        return Recipients(to, ('list@example.org',))

    recipients, data = routed.address(render_with, route, extra_cc=('X <x@example.org>',))
    assert recipients == Recipients(('A <a@example.org>', 'B <b@example.org>'),
                                    ('list@example.org', 'X <x@example.org>'))
    assert data == render_with(recipients)


def test_address_that_never_settles_is_an_error():
    def route(data: bytes) -> Recipients:
        return Recipients(() if b'a@example.org' in data else ('A <a@example.org>',), ())

    with pytest.raises(PathError, match='do not settle'):
        routed.address(render_with, route, what='rust: x: subject')


@pytest.mark.parametrize(('extra_to', 'extra_cc', 'expected'), [
    pytest.param(('a@example.org',), (), Recipients(('A <a@example.org>',), ('l@example.org',)),
                 id='same-address-in-to'),
    pytest.param((), ('A. Other <A@Example.org>', 'l@example.org'), Recipients(('A <a@example.org>',),
                                                                              ('l@example.org',)),
                 id='cc-already-to-or-cc'),
    pytest.param((), ('n@example.org',), Recipients(('A <a@example.org>',), ('l@example.org', 'n@example.org')),
                 id='added-last'),
])
def test_extras_are_added_once_by_address(extra_to, extra_cc, expected):
    base = Recipients(('A <a@example.org>',), ('l@example.org',))
    assert routed.with_extras(base, extra_to, extra_cc) == expected
