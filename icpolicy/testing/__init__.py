"""Testing policies: the YAML test format and runner, coverage by provision,
boundary cases derived from thresholds, and mutation testing."""
