"""One module per command: from settings to files written and an exit code."""
