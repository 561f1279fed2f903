"""Pure importers and writers. Never imports Qt."""
