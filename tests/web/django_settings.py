"""Settings for the test suite: the platform's own, in a throw-away data directory.

``DATABASE_URL`` (set by ``scripts/test.sh`` for the PostgreSQL pass) selects the
database; without it the tests run on SQLite.
"""

import os
import tempfile

os.environ.setdefault("PARECON_DATA_DIR", tempfile.mkdtemp(prefix="parecon-test-"))
os.environ.setdefault("PARECON_SECRET_KEY", "test-secret-key-not-for-production-" + "x" * 20)

from parecon.web.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The platform's file cache, in a directory of this test process's own: pytest-xdist's
# processes share the data directory, and a cleared cache must be this process's only.
CACHES["default"]["LOCATION"] = tempfile.mkdtemp(prefix="parecon-test-cache-")  # noqa: F405
# Hashing with Argon2 costs ~50 ms a password; the tests create hundreds of members.
# test_members checks that production settings use Argon2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ACCOUNT_RATE_LIMITS = False
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
