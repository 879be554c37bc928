"""The knowledge base as values: pages, templates, search terms, the page cache."""
