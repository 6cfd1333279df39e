"""The person's counted columns on each registration period (``COUNTED_PERSON_FIELDS``),
filled from the people in one statement (UPDATE … FROM: PostgreSQL, SQLite ≥ 3.33), then the
index that holds them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_statistics_indexes"),
        ("organizations", "0002_statistics_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="membershipperiod",
            name="member_period_org_on_idx",
        ),
        migrations.AddField(
            model_name="membershipperiod",
            name="date_of_birth",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="membershipperiod",
            name="ethnicity",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="members.ethnicity",
            ),
        ),
        migrations.AddField(
            model_name="membershipperiod",
            name="general_education",
            field=models.CharField(default="", editable=False, max_length=20),
        ),
        migrations.AddField(
            model_name="membershipperiod",
            name="occupation",
            field=models.CharField(default="", editable=False, max_length=120),
        ),
        migrations.AddField(
            model_name="membershipperiod",
            name="political_theory_level",
            field=models.CharField(default="", editable=False, max_length=20),
        ),
        migrations.AddField(
            model_name="membershipperiod",
            name="professional_level",
            field=models.CharField(default="", editable=False, max_length=20),
        ),
        migrations.AddField(
            model_name="membershipperiod",
            name="religion",
            field=models.CharField(default="", editable=False, max_length=20),
        ),
        migrations.AddField(
            model_name="membershipperiod",
            name="sex",
            field=models.CharField(
                choices=[("male", "Male"), ("female", "Female")],
                default="",
                editable=False,
                max_length=6,
            ),
        ),
        migrations.RunSQL(
            """
            UPDATE members_membershipperiod
            SET sex = pe.sex,
                date_of_birth = pe.date_of_birth,
                ethnicity_id = pe.ethnicity_id,
                religion = pe.religion,
                general_education = pe.general_education,
                professional_level = pe.professional_level,
                political_theory_level = pe.political_theory_level,
                occupation = pe.occupation
            FROM members_member m
            JOIN members_person pe ON pe.id = m.person_id
            WHERE m.id = members_membershipperiod.member_id
            """,
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name="membershipperiod",
            index=models.Index(
                fields=[
                    "organization",
                    "valid_from",
                    "valid_to",
                    "status",
                    "sex",
                    "date_of_birth",
                    "ethnicity",
                    "religion",
                    "general_education",
                    "professional_level",
                    "political_theory_level",
                    "occupation",
                ],
                name="member_period_counted_idx",
            ),
        ),
    ]
