"""``python -m jeugdgov``: the command line."""

from jeugdgov.cli import main

if __name__ == "__main__":
    main()
