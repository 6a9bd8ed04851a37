"""Foreign formats in and out: ODCS v3, JSON Schema and pandera YAML.

Imports ``contract/`` and ``compile/`` only, and no dataframe library at import time, so
``accord lint``, ``import`` and ``export`` start fast.
"""
