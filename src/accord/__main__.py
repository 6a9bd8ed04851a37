"""``python -m accord``: the ``accord`` command, for when the script is not on PATH."""

from accord.cli.app import run

if __name__ == "__main__":
    run()
