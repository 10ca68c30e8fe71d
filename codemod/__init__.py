"""rust-helper-codemod: annotate the kernel's Rust C helpers with __rust_helper."""
