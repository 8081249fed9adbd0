"""The book's own error for bad data, importable without pandas (the build catches it)."""


class DataError(ValueError):
    """A data file does not match its schema. The message says where and what."""
