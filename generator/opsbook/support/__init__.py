"""Shared plumbing: whole-file writes, the content-addressed cache, fonts."""
