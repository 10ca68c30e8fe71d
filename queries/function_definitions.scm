; Every function definition, at file scope or inside #if blocks.
; Whether it is a helper (not static, not a prototype) is decided in helpers.py.
(function_definition
  declarator: (_) @declarator
  body: (compound_statement) @body) @definition
