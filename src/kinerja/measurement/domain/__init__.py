"""Pure-Python measurement rules (no Django): see `achievement`."""
