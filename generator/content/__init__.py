"""The content layer: YAML with line marks, schemas, validation and the content model."""
