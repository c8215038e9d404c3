"""Importers and exporters: spreadsheets and other files as scenarios, and back.

Like the engine, this package imports no Flask, database or socket code (tests/test_layering.py).
"""
