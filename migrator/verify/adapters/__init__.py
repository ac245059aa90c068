"""The ports of ``migrator.verify.application.ports`` implemented with the real things."""
