"""Exports for researchers: pseudonymised corpora of what was crawled (``npswatch export``)."""
