"""Command-line wiring: arguments in, exit code out. Each command's work is
in codemod/commands/<name>.py, whose main(args) returns the exit code:
0 clean, 1 findings or files changed, 2 bad usage or input.
"""
from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Sequence
from typing import Any

from codemod.plumbing.errors import EXIT_ERROR
from codemod.plumbing.errors import PathError


PROG = 'rust-helpers'


@functools.cache
def _help_width() -> int:
    """What argparse would compute, without its shutil import (4 ms of
    `check`, paid for every parser and argument it builds)."""
    try:
        columns = int(os.environ['COLUMNS'])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 80
    return (columns or 80) - 2


class _Formatter(argparse.HelpFormatter):
    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, _help_width() if width is None else width)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault('formatter_class', _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_ERROR, f'{self.prog}: error: {message}\n')


def _add_tree(p: argparse.ArgumentParser) -> None:
    p.add_argument('--tree', metavar='DIR', help='kernel tree (default: the one the current directory is in)')


def _add_jobs(p: argparse.ArgumentParser) -> None:
    p.add_argument('-j', '--jobs', metavar='N', type=_positive, default=None,
                   help='scan in N processes (default: one per CPU for large inputs)')


def _scan_args(p: argparse.ArgumentParser) -> None:
    _add_tree(p)
    p.add_argument('--json', action='store_true', help='print JSON')
    _add_jobs(p)


def _annotate_args(p: argparse.ArgumentParser) -> None:
    _add_tree(p)
    p.add_argument('paths', nargs='*', metavar='PATH', help='only these helper files')
    p.add_argument('--no-format', action='store_true', help='insert the token only, no clang-format')
    p.add_argument('--dry-run', action='store_true', help='print the diff, write nothing')


def _check_args(p: argparse.ArgumentParser) -> None:
    _add_tree(p)
    p.add_argument('paths', nargs='*', metavar='PATH', help='only these helper files')
    p.add_argument('--format', choices=('text', 'json', 'github', 'b4'), default='text',
                   help='b4: the JSON of a b4.review-perpatch-check-cmd (with --patch)')
    p.add_argument('--fix', action='store_true', help='annotate what can be annotated, then report')
    p.add_argument('--patch', metavar='FILE', help='review a diff or mbox (- for stdin) instead of the tree')
    _add_jobs(p)
    _add_reply(p)


def _add_reply(p: argparse.ArgumentParser) -> None:
    p.add_argument('--reply', metavar='DIR', help='write a reply draft (mbox) for each patch mail with '
                   'findings into DIR; nothing is sent')
    p.add_argument('--from', dest='sender', metavar='"NAME <MAIL>"',
                   help='who the replies are from (default: git user.name/email)')


def _series_args(p: argparse.ArgumentParser) -> None:
    _add_tree(p)
    _add_series_options(p, groups='tag = ["file.c", ...]', sender='author')
    p.add_argument('--macro-in', choices=('helpers.h', 'helpers.c'), default='helpers.h',
                   help='where patch 1 defines __rust_helper (default: a new helpers.h)')
    cover = p.add_mutually_exclusive_group()
    cover.add_argument('--title', default=None, metavar='TEXT', help='cover letter subject')
    cover.add_argument('--cover', metavar='FILE',
                       help='cover letter text: the first line is its subject, the rest its body '
                            '(as git format-patch --cover-from-description=subject)')
    p.add_argument('--previous', metavar='DIR', help='the last series, to list "Changes in vN"')
    p.add_argument('--date', metavar='ISO8601', help='date of every mail (default: $SOURCE_DATE_EPOCH or now)')
    p.add_argument('--force', action='store_true', help='replace a series already in the output folder')
    p.add_argument('--b4-branch', metavar='NAME',
                   help='also create branch NAME off HEAD, one commit per patch, ready for b4 prep and b4 send')


def _split_args(p: argparse.ArgumentParser) -> None:
    p.add_argument('source', metavar='REV|FILE|-',
                   help='a commit of the tree\'s repo, a diff or mbox file, or - (stdin)')
    _add_tree(p)
    _add_series_options(p, groups='"prefix" = ["path", ...]', sender='sender')
    p.add_argument('--subject', metavar='TEXT',
                   help='the change\'s subject (needed for a plain diff; replaces a mail\'s or commit\'s)')
    p.add_argument('--date', metavar='ISO8601', help='date of the cover letter, and of patches from a plain diff')
    p.add_argument('--force', action='store_true', help='replace a series already in the output folder')


def _audit_args(p: argparse.ArgumentParser) -> None:
    p.add_argument('paths', nargs='*', metavar='PATH',
                   help='objects (.o, .ko), folders of them, ar archives, linked images (vmlinux, executables, .so); '
                   'default: the tree\'s build output')
    p.add_argument('--tree', metavar='DIR',
                   help='kernel tree whose helpers are joined with the findings (default with no PATH: '
                   'the one the current directory is in)')
    p.add_argument('--format', choices=('text', 'json', 'github'), default='text')


def _review_args(p: argparse.ArgumentParser) -> None:
    p.add_argument('archive', metavar='ARCHIVE', help='a public-inbox v2 inbox, a maildir or an mbox')
    _add_tree(p)
    p.add_argument('--since', metavar='DATE', help='only patches dated DATE (ISO 8601) or later')
    p.add_argument('--state', metavar='FILE',
                   help='where the last run stopped; read, then updated (only new messages are read)')
    p.add_argument('--format', choices=('text', 'json', 'github'), default='text')
    _add_reply(p)


# name -> (help, its arguments), in the order `--help` lists them.
_SUBCOMMANDS = {
    'scan': ('list every helper definition', _scan_args),
    'annotate': ('add __rust_helper where it is missing', _annotate_args),
    'check': ('report helpers missing __rust_helper', _check_args),
    'series': ('write the patch series: macro patch, one patch per subsystem', _series_args),
    'split': ('split one change into one patch per maintainer group, with a cover letter', _split_args),
    'audit': ('prove from built objects that no rust_helper_* call was left un-inlined', _audit_args),
    'review': ('review the new helper patches of a mail archive', _review_args),
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with `only` just that command's part of it.

    argparse builds every parser and argument it is given, and `check`,
    which runs on every commit, would pay for the other four commands too.
    """
    parser = _Parser(prog=PROG, description='Find, annotate and lint the kernel\'s Rust C helpers.')
    sub = parser.add_subparsers(dest='command', required=True, parser_class=_Parser)
    for name, (help_text, add_arguments) in _SUBCOMMANDS.items():
        if only in (None, name):
            add_arguments(sub.add_parser(name, help=help_text))
    return parser


def _add_series_options(p: argparse.ArgumentParser, *, groups: str, sender: str) -> None:
    """What series and split share: they both write a routed patch series."""
    p.add_argument('-o', '--output', metavar='DIR', default='patches', help='output folder (default: patches)')
    p.add_argument('-v', '--reroll-count', dest='version', metavar='N', type=_positive, default=None,
                   help='mark the series as version N: [PATCH vN], files vN-NNNN-*.patch, as git does')
    p.add_argument('--group-by', choices=('section', 'file'), default='section',
                   help='one patch per MAINTAINERS section (default) or per file')
    p.add_argument('--groups', metavar='FILE.toml', help=f'hand-made groups: {groups}')
    p.add_argument('--from', dest='sender', metavar='"NAME <MAIL>"', help=f'{sender} (default: git user.name/email)')
    p.add_argument('--to', action='append', default=[], metavar='ADDR', help='add a To: recipient')
    p.add_argument('--cc', action='append', default=[], metavar='ADDR', help='add a Cc: recipient')


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f'expected a positive number, got {text!r}')
    return value


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # Errors are printed without the usage line (_Parser.error), so a parser
    # of the one command named gives the same messages as the whole one.
    only = argv[0] if argv and argv[0] in _SUBCOMMANDS else None
    args = build_parser(only).parse_args(argv)
    try:
        # Each command imports what it needs when it runs: `check` is run on
        # every commit, and imports are most of its time.
        # (__import__, not importlib: the importlib package is not loaded yet.)
        return __import__(f'codemod.commands.{args.command}', fromlist=['main']).main(args)
    except PathError as e:
        print(e, file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR


def run() -> None:
    """The console script: main(), then leave without tearing down the interpreter.

    Freeing every object at exit costs a short `check` a tenth of its time,
    and the OS frees it all anyway.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
