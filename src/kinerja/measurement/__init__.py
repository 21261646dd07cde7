"""Measurement: realisasi, capaian kinerja and predikat."""
