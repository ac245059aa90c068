"""The analysis engine: runs the analyzer plugins (``analyzers``) over a tree into one graph.

The pipeline, in the order a run goes through it:

- ``run``: ``analyze_tree``, a run from a folder to an ``Analysis`` (the graph, graph.json's
  text, what was skipped);
- ``discovery``: the Python files of the tree and the module name each is imported by;
- ``scanning``: every file read and parsed once, each analyzer's ``scan`` run on it, spread
  over a process pool; ``scan_cache`` keeps the results per file for the next run;
- ``link``: every analyzer's ``link``, reusing what the previous run made from the same inputs
  (``incremental``: the state kept; ``edits`` and ``relocation``: edits that only moved lines;
  ``module_plan``: which modules a per-module link makes again), with a forked child sharing
  the work (``forking``);
- ``merge``: the graph from the contributions (kept as tuples: ``packing``); ``graph_text``
  writes its graph.json (through the model's ``graph_json``), or ``patch`` patches the last one.

The engine knows the analyzers only through ``analyzers.base``; they never import it.
"""
