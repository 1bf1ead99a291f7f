"""``python -m testament`` runs the command-line interface."""

import sys

try:
    from testament.cli import main
except KeyboardInterrupt:  # Ctrl-C while the commands are still being loaded
    sys.stderr.write("interrupted, nothing written\n")
    sys.exit(130)

main()
