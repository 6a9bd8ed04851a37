"""The ``accord`` command line: typer wiring, one command per module, thin."""
