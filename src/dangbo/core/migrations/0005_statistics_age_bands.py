"""The age groups of the statistics forms (DOMAIN.md §10), a versioned rule like the others."""

import datetime as dt

from django.db import migrations

KEY = "statistics.age_bands"


def add_rule(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    Rule.objects.get_or_create(
        key=KEY,
        valid_from=dt.date(2012, 1, 1),
        defaults={
            "value": [[18, 30], [31, 40], [41, 50], [51, 60], [61, 70], [71, None]],
            "source_document": (
                "Biểu mẫu thống kê 2-TCTW (2012); HD 11-HD/BTCTW (2021) về báo cáo thống kê "
                "tổ chức đảng và đảng viên"
            ),
            "description": "Các nhóm tuổi (tuổi tròn năm tại ngày báo cáo) trong biểu thống kê "
            "đảng viên",
        },
    )


def remove_rule(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(key=KEY).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0004_calendar_days_and_admission_rules")]

    operations = [migrations.RunPython(add_rule, remove_rule)]
