"""Pure rules of the documents app: file types from content, document numbers."""
