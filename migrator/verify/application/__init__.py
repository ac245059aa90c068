"""The use case, ``verify()``, and the ports it drives: it knows no adapter."""
