"""The icpolicy language server (`icpolicy lsp`): needs the `lsp` extra (pygls)."""
