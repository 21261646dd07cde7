"""Kinerja: SAKIP performance accountability."""
