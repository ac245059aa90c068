"""Accounts: customers, their addresses and login tokens."""
