"""The storm engine: scenario model, loader, storm generator, reactions and rubric.

Pure Python and deterministic: nothing here imports Flask, SQLAlchemy or Socket.IO, and
nothing reads the wall clock or the global random state.
"""
