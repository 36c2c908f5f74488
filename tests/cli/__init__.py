"""The command-line tests (a package: their module names repeat those of other test folders)."""
