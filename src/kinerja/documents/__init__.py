"""Official documents: letters, dispositions, minutes, numbering, stored files with sha256."""
