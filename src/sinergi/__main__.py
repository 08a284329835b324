"""``python -m sinergi``: the same CLI as the ``sinergi`` command (for a checkout without it)."""

from sinergi.cli import main

if __name__ == "__main__":
    main(prog_name="sinergi")
