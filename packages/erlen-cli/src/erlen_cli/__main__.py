"""``python -m erlen_cli`` runs the ``erlen`` command."""

from erlen_cli import main

if __name__ == "__main__":
    main()
