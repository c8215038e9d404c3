"""Use cases. The only package that opens and commits database transactions.

accounts: trainers, login links, API tokens; scenarios: the library; sessions: sessions,
teams, participants, the clock and the trainer's controls.
"""
