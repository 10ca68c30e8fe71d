"""C source: parse, find the helpers (lexing again where the parse cannot
be trusted), insert the annotation, format the touched declarations. Bytes
in, bytes out."""
