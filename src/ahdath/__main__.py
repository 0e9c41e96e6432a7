"""``python -m ahdath`` runs the command line."""
import sys

from ahdath.cli.main import main

sys.exit(main())
