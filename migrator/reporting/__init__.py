"""Presenters: text, JSON and HTML views of what the other stages computed."""
