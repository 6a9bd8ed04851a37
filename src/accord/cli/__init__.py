"""The ``accord`` command line: typer wiring, one command per module, thin."""

import time
from datetime import UTC, datetime

# Taken before typer, rich and the commands load, so the time a report shows for `accord ...`
# includes what the user waited for while they did (importing is a good part of a short run).
LOADED = (time.perf_counter(), datetime.now(UTC))
