"""Inputs: each module turns one kind of input into an :class:`~auditor.models.Inventory`."""
