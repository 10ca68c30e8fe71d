"""Files of installed packages, found without importing the packages.

`check` runs on every commit, and imports are most of its time. Running a
package's `__init__` just to learn where its files are costs more than the
lookup: tree_sitter_c's imports importlib.resources, clang_format's imports
sysconfig.
"""
from __future__ import annotations

import os

# The codemod package's folder (this module sits in codemod/plumbing/).
PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_package_text(*parts: str) -> str:
    """A data file shipped inside our package.

    An installed wheel has them as plain files, and open() is what `check`
    can afford: importing importlib.resources costs it about 20 ms. A
    package imported from a zip goes through importlib.resources.
    """
    try:
        with open(os.path.join(PACKAGE_DIR, *parts), encoding='utf-8') as f:
            return f.read()
    except (FileNotFoundError, NotADirectoryError):
        from importlib import resources
        return resources.files('codemod').joinpath(*parts).read_text(encoding='utf-8')


def package_dir(name: str) -> str:
    """The folder of an installed package; its `__init__` does not run."""
    import importlib.util
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f'no installed package {name}', name=name)
    return spec.submodule_search_locations[0]


def load_extension(package: str, module: str) -> object:
    """Load the compiled module `package.module` without running the
    package's `__init__`. ImportError if it is not there."""
    import importlib.machinery
    import importlib.util
    folder = package_dir(package)
    for name in sorted(os.listdir(folder)):
        if name.startswith(module + '.') and name.endswith('.so'):
            qualified = f'{package}.{module}'
            loader = importlib.machinery.ExtensionFileLoader(qualified, os.path.join(folder, name))
            spec = importlib.util.spec_from_loader(qualified, loader)
            extension = importlib.util.module_from_spec(spec)
            loader.exec_module(extension)
            return extension
    raise ImportError(f'no compiled {package}.{module} in {folder}', name=f'{package}.{module}')
