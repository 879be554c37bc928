"""Charts: specs as a plan, drawing with matplotlib, smaller SVG."""
