"""An independent oracle for the tests: helper call sites read from
`llvm-objdump-14 -dr`, the way a maintainer checks by hand. (The audit
itself never parses objdump text; this only confirms what it reports.)

A site is (function symbol, instruction offset in it, helper): a branch
line whose target is `<rust_helper_...>` or its `@plt` stub, or an
instruction followed by a relocation line naming a helper.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

_FUNCTION = re.compile(r'^([0-9a-f]+) <(.+)>:$')
_INSTRUCTION = re.compile(r'^\s+([0-9a-f]+):\s')
_BRANCH_TO_HELPER = re.compile(r'\s(?:callq?|jmpq?|j[a-z]+|bl|b|b\.[a-z]+)\s.*<(rust_helper_\w+?)(?:@plt)?>$')
_RELOCATION = re.compile(r'^\s+[0-9a-f]+:\s+R_\w+\s+(rust_helper_\w+)')


def helper_sites(path: Path) -> set[tuple[str, int, str]]:
    text = subprocess.run(['llvm-objdump-14', '-dr', '--no-show-raw-insn', str(path)],
                          capture_output=True, text=True, check=True).stdout
    sites = set()
    function, start, last = None, 0, 0
    for line in text.splitlines():
        if (m := _FUNCTION.match(line)):
            function, start = m.group(2), int(m.group(1), 16)
            continue
        if function is None or function.startswith('rust_helper_') or function.startswith('.plt'):
            continue
        if (m := _RELOCATION.match(line)):
            sites.add((function, last - start, m.group(1)))
        elif (m := _INSTRUCTION.match(line)):
            last = int(m.group(1), 16)
            if (b := _BRANCH_TO_HELPER.search(line)):
                sites.add((function, last - start, b.group(1)))
    return sites
