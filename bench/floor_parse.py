"""The least a tree-sitter checker in Python can do: the floor for `check`.

    python bench/floor_parse.py DIR

Starts like a console script (site, then `import re`), loads tree-sitter-c
the cheap way `check` does (codemod/packages.py), compiles one query, parses every .c file under DIR and counts the function
definitions. No argument parsing, no macro blanking, no rules, no report.
bench/run.py times it next to `rust-helpers check` and spatch, to show what
share of `check` is the interpreter and tree-sitter rather than our code.
"""
import os
import re  # noqa: F401  (pip's console-script wrapper imports it first)
import sys

import tree_sitter

from codemod.plumbing.packages import load_extension


def main() -> int:
    language = tree_sitter.Language(load_extension('tree_sitter_c', '_binding').language())
    query = tree_sitter.Query(language, '(function_definition) @definition')
    parser = tree_sitter.Parser(language)
    count = 0
    for folder, _, names in os.walk(sys.argv[1]):
        for name in names:
            if name.endswith('.c'):
                with open(os.path.join(folder, name), 'rb') as f:
                    tree = parser.parse(f.read())
                count += len(tree_sitter.QueryCursor(query).captures(tree.root_node).get('definition', []))
    print(count)
    return 0


if __name__ == '__main__':
    sys.exit(main())
