"""Member profiles (each combination of a person's counted columns but the date of birth), and
on each registration period the person's date of birth and profile: filled in two statements
(UPDATE … FROM: PostgreSQL, SQLite ≥ 3.33), then the index that holds them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_statistics_indexes"),
        ("organizations", "0003_place_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="MemberProfile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "sex",
                    models.CharField(
                        choices=[("male", "Male"), ("female", "Female")], max_length=6
                    ),
                ),
                ("religion", models.CharField(max_length=20)),
                ("general_education", models.CharField(max_length=20)),
                ("professional_level", models.CharField(max_length=20)),
                ("political_theory_level", models.CharField(max_length=20)),
                ("occupation", models.CharField(max_length=120)),
            ],
        ),
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
            model_name="memberprofile",
            name="ethnicity",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="members.ethnicity",
            ),
        ),
        migrations.AddField(
            model_name="membershipperiod",
            name="profile",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="members.memberprofile",
            ),
        ),
        migrations.RunSQL(
            """
            INSERT INTO members_memberprofile (sex, ethnicity_id, religion, general_education, professional_level, political_theory_level, occupation)
            SELECT DISTINCT pe.sex, pe.ethnicity_id, pe.religion, pe.general_education, pe.professional_level, pe.political_theory_level, pe.occupation
            FROM members_person pe JOIN members_member m ON m.person_id = pe.id
            """,
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            """
            UPDATE members_membershipperiod
            SET date_of_birth = pe.date_of_birth, profile_id = pr.id
            FROM members_member m
            JOIN members_person pe ON pe.id = m.person_id
            JOIN members_memberprofile pr ON pr.sex = pe.sex AND pr.ethnicity_id = pe.ethnicity_id AND pr.religion = pe.religion AND pr.general_education = pe.general_education AND pr.professional_level = pe.professional_level AND pr.political_theory_level = pe.political_theory_level AND pr.occupation = pe.occupation
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
                    "date_of_birth",
                    "profile",
                ],
                name="member_period_counted_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="memberprofile",
            constraint=models.UniqueConstraint(
                fields=(
                    "sex",
                    "ethnicity",
                    "religion",
                    "general_education",
                    "professional_level",
                    "political_theory_level",
                    "occupation",
                ),
                name="member_profile_unique",
            ),
        ),
    ]
