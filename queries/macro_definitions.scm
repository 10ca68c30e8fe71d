; #define bodies that may hold helper definitions (token-pasted names).
(preproc_function_def
  name: (identifier) @name
  value: (preproc_arg) @body) @macro
(preproc_def
  name: (identifier) @name
  value: (preproc_arg) @body) @macro
