import pytest


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    """These tests log in by the form dozens of times; PBKDF2 would spend seconds on each test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
