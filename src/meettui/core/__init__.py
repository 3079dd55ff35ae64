"""Headless core of meettui. Nothing under this package may import textual."""
