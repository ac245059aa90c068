"""The values of a verification run and the rules over them; no I/O."""
