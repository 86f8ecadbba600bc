"""Solidarity posts: flower pictures with a solidarity message, ready for every platform."""

__version__ = "0.1.0"
