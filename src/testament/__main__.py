"""``python -m testament`` runs the command-line interface."""

from testament.cli import main

main()
