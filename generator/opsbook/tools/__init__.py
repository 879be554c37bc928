"""Small developer tools run by the project's own pre-commit hooks and CI."""
