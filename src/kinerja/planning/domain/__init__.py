"""Pure planning rules (no Django)."""
