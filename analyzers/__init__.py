"""Static analyzers: pure functions from a source tree to typed facts.

Each analyzer is a plugin (see ``analyzers.base.Analyzer``) in a module of its own. Files are
scanned once, in parallel, and the per-file facts are cached by content hash; a failing file
is a value (``Skipped``), never an exception that ends the run.
"""
