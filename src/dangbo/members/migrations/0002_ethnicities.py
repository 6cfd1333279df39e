"""The 54 ethnic groups with the statistics office's codes (reference data)."""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parents[2] / "core" / "data" / "ethnic-groups.csv"


def load(apps, schema_editor):
    Ethnicity = apps.get_model("members", "Ethnicity")
    with open(CSV, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            Ethnicity.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
