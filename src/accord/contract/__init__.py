"""The contract file format: typed models, loader, expression language."""
