"""Widgets that draw what core computed: the forest plot (more to come)."""
