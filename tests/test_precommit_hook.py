"""The pre-commit hook definition: the right id, file filter and entry point."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _hook() -> dict[str, str]:
    # A flat one-hook YAML list; read it without a YAML dependency.
    text = (REPO / '.pre-commit-hooks.yaml').read_text()
    return dict(re.findall(r'^[- ] (\w+): (.*)$', text, re.M))


def test_hook_id_and_files():
    hook = _hook()
    assert hook['id'] == 'rust-helper-annotations'
    assert hook['files'] == r'^rust/helpers/.*\.c$'
    files = re.compile(hook['files'])
    assert files.search('rust/helpers/spinlock.c')
    assert files.search('rust/helpers/net/genetlink.c')
    assert not files.search('rust/kernel/sync.rs')
    assert not files.search('rust/helpers/helpers.h')


def test_hook_entry_is_our_console_script():
    command, subcommand = _hook()['entry'].split()
    scripts = tomllib.loads((REPO / 'pyproject.toml').read_text())['project']['scripts']
    assert scripts[command] == 'codemod.cli:run'
    assert subcommand == 'check'
