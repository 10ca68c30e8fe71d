"""C source: blank the attribute macros, parse, find the helpers, insert the
annotation, format the touched declarations. Bytes in, bytes out."""
