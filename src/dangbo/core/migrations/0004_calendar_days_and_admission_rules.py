"""The days administrators enter on the working-day calendar; the rules of admission and its
deadlines (DOMAIN.md §3), first versions from the Charter of 2011 with their sources."""

import datetime as dt

from django.db import migrations, models

CHARTER = dt.date(2011, 1, 19)  # Điều lệ Đảng adopted by the 11th Congress
EXECUTION = "QĐ 232-QĐ/TW (2025), quy định thi hành Điều lệ Đảng"
# The guidance of the Central Organization Commission on party member work, in its current form.
GUIDANCE = "Hướng dẫn nghiệp vụ công tác đảng viên, hiện hành: HD 12-HD/BTCTW (2022)"

RULES = [
    # key, value, valid_from, source, description
    (
        "admission.decision_deadline_working_days",
        60,
        CHARTER,
        f"Điều lệ Đảng (2011), Điều 4; {EXECUTION}, điểm 4.3.1",
        "Cấp ủy có thẩm quyền quyết định kết nạp trong thời hạn (ngày làm việc) kể từ ngày chi bộ "
        "có nghị quyết đề nghị kết nạp",
    ),
    (
        "admission.ceremony_deadline_working_days",
        30,
        CHARTER,
        f"Điều lệ Đảng (2011), Điều 4; {EXECUTION}, điểm 4.1",
        "Chi bộ tổ chức lễ kết nạp trong thời hạn (ngày làm việc) kể từ ngày nhận quyết định kết nạp",
    ),
    (
        "admission.deadline_extension_max_working_days",
        30,
        CHARTER,
        f"{EXECUTION}, điểm 4.3.1",
        "Trường hợp đặc biệt, thời hạn quyết định được gia hạn tối đa (ngày làm việc)",
    ),
    (
        "membership.recognition_review_deadline_working_days",
        30,
        CHARTER,
        f"Điều lệ Đảng (2011), Điều 5; {EXECUTION}, điểm 4.2",
        "Chi bộ xét công nhận đảng viên chính thức trong thời hạn (ngày làm việc) kể từ ngày hết "
        "12 tháng dự bị",
    ),
    (
        "membership.recognition_decision_deadline_working_days",
        30,
        CHARTER,
        f"Điều lệ Đảng (2011), Điều 5; {EXECUTION}, điểm 4.3.1",
        "Cấp ủy có thẩm quyền quyết định công nhận đảng viên chính thức trong thời hạn (ngày làm "
        "việc) kể từ ngày chi bộ có nghị quyết đề nghị",
    ),
    (
        "admission.certificate_max_age_months",
        60,
        CHARTER,
        GUIDANCE,
        "Giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng có giá trị (tháng) đến ngày chi bộ họp xét",
    ),
    (
        "admission.papers_max_age_months",
        12,
        CHARTER,
        GUIDANCE,
        "Các giấy tờ khác trong hồ sơ quá thời hạn này (tháng) phải làm lại",
    ),
    (
        "admission.introducer_min_months_in_unit",
        12,
        CHARTER,
        f"Điều lệ Đảng (2011), Điều 4; {EXECUTION}",
        "Người giới thiệu là đảng viên chính thức, cùng công tác hoặc cư trú với người vào Đảng "
        "ít nhất (tháng)",
    ),
    (
        "admission.vote_threshold",
        {"numerator": 2, "denominator": 3},
        CHARTER,
        f"Điều lệ Đảng (2011), Điều 4; {EXECUTION}",
        "Tỷ lệ tán thành tối thiểu trên số đảng viên chính thức của chi bộ (số cấp ủy viên của "
        "đảng ủy)",
    ),
    (
        "admission.readmission_min_months",
        36,
        CHARTER,
        f"Điều lệ Đảng (2011), Điều 4; {EXECUTION}",
        "Kết nạp lại (một lần) sau khi ra khỏi Đảng ít nhất (tháng)",
    ),
    (
        "admission.minimum_education",
        "lower_secondary",
        CHARTER,
        f"Điều lệ Đảng (2011), Điều 1; {EXECUTION}",
        "Trình độ học vấn tối thiểu: tốt nghiệp trung học cơ sở, trừ các trường hợp ngoại lệ",
    ),
    (
        "admission.failed_votes_before_referral",
        3,
        CHARTER,
        f"{EXECUTION}; {GUIDANCE}",
        "Sau số lần biểu quyết không đủ tỷ lệ này, báo cáo cấp ủy cấp trên xem xét, quyết định",
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


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_data_version"),
    ]

    operations = [
        migrations.CreateModel(
            name="CalendarDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField(unique=True, verbose_name="date")),
                (
                    "kind",
                    models.CharField(
                        choices=[("day_off", "Day off"), ("working_day", "Make-up working day")],
                        max_length=20,
                        verbose_name="kind of day",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=255, verbose_name="note")),
                (
                    "source_document",
                    models.CharField(max_length=255, verbose_name="source document"),
                ),
            ],
            options={
                "verbose_name": "calendar day",
                "verbose_name_plural": "calendar days",
                "ordering": ["date"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["day_off", "working_day"])),
                        name="core_calendarday_kind",
                    )
                ],
            },
        ),
        migrations.RunPython(add_rules, remove_rules),
    ]
