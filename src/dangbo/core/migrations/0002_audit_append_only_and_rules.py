"""The audit table refuses UPDATE and DELETE; the first versions of the rules we apply."""

import datetime as dt

from django.db import migrations

SQLITE = [
    "CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;",
    "CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update;",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete;",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql;""",
    "CREATE TRIGGER core_auditentry_no_change BEFORE UPDATE OR DELETE ON core_auditentry "
    "FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();",
    "CREATE TRIGGER core_auditentry_no_truncate BEFORE TRUNCATE ON core_auditentry "
    "FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_append_only();",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_change ON core_auditentry;",
    "DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;",
    "DROP FUNCTION IF EXISTS core_auditentry_append_only();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


RULES = [
    # key, value, valid_from, source, description
    (
        "membership.probation_months",
        12,
        dt.date(1930, 2, 3),
        "Điều lệ Đảng (2011), Điều 5",
        "Thời gian dự bị tính từ ngày lễ kết nạp (tháng)",
    ),
    (
        "admission.minimum_age_months",
        216,
        dt.date(1930, 2, 3),
        "Điều lệ Đảng (2011), Điều 1",
        "Tuổi tối thiểu khi kết nạp (tháng, đủ 18 tuổi)",
    ),
    (
        "admission.maximum_age_months",
        720,
        dt.date(1930, 2, 3),
        "Điều lệ Đảng (2011), Điều 1; QĐ 232-QĐ/TW (2025)",
        "Tuổi tối đa khi kết nạp (tháng, đủ 60 tuổi), trừ khi được cấp tỉnh đồng ý",
    ),
]


def add_rules(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    for key, value, valid_from, source, description in RULES:
        Rule.objects.get_or_create(
            key=key,
            valid_from=valid_from,
            defaults={"value": value, "source_document": source, "description": description},
        )


def remove_rules(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    Rule.objects.filter(key__in=[r[0] for r in RULES]).delete()


def forward(apps, schema_editor):
    _run({"sqlite": SQLITE, "postgresql": POSTGRES})(apps, schema_editor)
    add_rules(apps, schema_editor)


def backward(apps, schema_editor):
    _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE})(apps, schema_editor)
    remove_rules(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
