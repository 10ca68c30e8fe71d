"""One module per command: each main(args) wires the edges (files, git,
clang-format) to the pure stages and returns the exit code."""
