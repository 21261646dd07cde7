"""The demo data and `kinerja demo`."""
