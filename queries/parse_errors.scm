; What tree-sitter could not parse. Helpers here would be missed silently,
; so each one becomes a diagnostic.
(ERROR) @error
