"""Contracts compiled to pandera schemas, one module per engine."""
