"""The golden folders hold generated Python, which is data here: never collected nor imported."""

collect_ignore_glob = ["*/files"]
