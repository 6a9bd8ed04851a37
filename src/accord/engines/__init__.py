"""Engines: evaluate a compiled plan on a frame and return evidence (see ``base``).

``registry`` maps names to implementations, loaded on first use; importing this package loads no
dataframe library.
"""
