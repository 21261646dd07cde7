"""Pure workflow logic (no Django): SOP definitions, the engine, working time."""
