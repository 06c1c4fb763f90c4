"""The load layer: reading YAML and CSV safely, validating against JSON Schema, building the model."""
