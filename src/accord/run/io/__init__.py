"""Data files to polars frames, one module per format, each with its whole-file reader
(``read_file``) and its batched reader (``open_file``) side by side; ``common`` and ``paths`` hold
what every format shares, ``text_parse`` the text-to-type rules of CSV and JSON Lines."""
