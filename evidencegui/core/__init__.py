"""Pure core: data model and statistics. Never imports Qt."""
