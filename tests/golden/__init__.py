"""Golden files: every artifact that is a pure function of a ServicePlan, rendered for two frozen
plans and kept under ``tests/golden/<plan>/files``. ``python -m tests.golden --refresh`` rewrites
them and prints what changed; ``test_golden.py`` fails with the diff when they are out of date."""
