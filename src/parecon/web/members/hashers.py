"""Password hashing: Argon2id with OWASP's recommended minimum cost.

Django's own Argon2 settings (100 MiB, 8 lanes) make 50 members logging in at once
need 5 GB and queue on two cores; OWASP's minimum (19 MiB, 2 passes, 1 lane) keeps
Argon2id's resistance to GPU cracking at a cost a small server can pay per log-in.
Hashes made with the old settings are upgraded on the next log-in.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class ParticipatoryArgon2Hasher(Argon2PasswordHasher):
    """Argon2id at 19 MiB, t=2, p=1 (OWASP Password Storage Cheat Sheet)."""

    algorithm = "argon2"
    time_cost = 2
    memory_cost = 19_456
    parallelism = 1
