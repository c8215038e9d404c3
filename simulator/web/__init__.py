"""Blueprints: thin handlers that turn requests into engine and service calls and back."""
