"""The blog app of the Django client test (tests/clients/django/blog_test.py)."""
