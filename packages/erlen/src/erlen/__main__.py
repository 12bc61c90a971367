"""``python -m erlen`` runs the erlen command."""

from erlen.cli import main

if __name__ == "__main__":
    main()
