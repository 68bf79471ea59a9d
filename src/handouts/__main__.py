"""`python -m handouts` runs the command line."""

from .cli import main

main()
