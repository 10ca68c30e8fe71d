"""audit: prove from built ELF files that no call to a rust_helper_* symbol
is left in Rust machine code.

Stages, in the order data flows (ARCHITECTURE.md, "audit"):
inputs.py (PATH forms, the tree's build output) and archive.py (ar members)
give bytes; elf.py reads them; symbols.py finds the functions and helpers;
relocations.py scans relocatable objects, branches.py disassembles code
(capstone) and images.py prepares linked images for it; sites.py holds what
they find; demangle.py names the callers; source.py joins with `scan`;
report.py prints findings and the per-helper summary.
"""
