"""The ``accord`` command line: typer wiring, one command per module, thin."""

import os
import time
from datetime import UTC, datetime

# Taken before typer, rich and the commands load, so the time a report shows for `accord ...`
# includes what the user waited for while they did (importing is a good part of a short run).
LOADED = (time.perf_counter(), datetime.now(UTC))

# pydantic looks for its plugins (observability hooks such as logfire's) the first time a model
# is built, by reading the entry points of every installed distribution: 50 ms in a venv of 170
# packages, paid by every `accord` command. The command line's only models are accord's own;
# whoever wants a plugin watching them says so by setting the variable themselves.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
