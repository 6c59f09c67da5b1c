"""``jeugdgov`` and ``python -m jeugdgov``: the command line.

This module imports nothing heavy, so that the file a validation names is being read
(:mod:`jeugdgov.read_ahead`) while the command's libraries are imported."""

import sys

from jeugdgov import read_ahead


def main() -> None:
    read_ahead.start(sys.argv[1:])
    from jeugdgov.cli import main as command

    command()


if __name__ == "__main__":
    main()
