"""Reading data and running compiled contracts over it."""
