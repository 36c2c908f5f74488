"""`python -m icpolicy`: the same command line as the `icpolicy` script."""

from .cli.main import main

main()
