"""Setup shared by the bench scripts: Django settings from the environment, bench accounts."""

from __future__ import annotations

import os


def setup() -> None:
    """Configure Django from DANGBO_* variables, without query logging."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
    os.environ.setdefault("DANGBO_SECRET_KEY", "bench-only-not-a-secret")
    import django
    from django.conf import settings

    django.setup()
    # DEBUG would log every statement (and hold bulk inserts in memory).
    settings.DEBUG = False


def ensure_bench_users(root_id: int):
    """bench-admin (superuser) and bench-manager (manager on the root); returns both."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from dangbo.core.models import Role, RoleGrant

    users = get_user_model()
    password = make_password("bench")
    admin, _ = users.objects.get_or_create(
        username="bench-admin",
        defaults={"password": password, "is_superuser": True, "is_staff": True},
    )
    manager, _ = users.objects.get_or_create(
        username="bench-manager", defaults={"password": password}
    )
    RoleGrant.objects.get_or_create(user=manager, organization_id=root_id, role=Role.MANAGER)
    return admin, manager


def pending_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return [m.name for m, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())]
