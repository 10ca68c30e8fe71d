; Every function definition, at file scope or inside #if blocks. Its
; declarator and body are read in helpers.py; whether it is a helper (not
; static) is decided there too. (Field constraints here would triple the
; query's compile time, which every `check` pays.)
(function_definition) @definition
