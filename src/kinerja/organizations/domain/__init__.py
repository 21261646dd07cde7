"""Pure rules about the organisation (no Django)."""
