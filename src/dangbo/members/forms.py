"""Forms of the member pages: they parse input; the services validate the domain rules."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dangbo.core.access import scope_organization_ids
from dangbo.members.models import (
    Ethnicity,
    MemberStatus,
    Person,
    PoliticalTheoryLevel,
    Sex,
)
from dangbo.members.selectors import AGE_BANDS
from dangbo.organizations.models import Organization, OrganizationLevel

PAGE_SIZES = (25, 50, 100, 200)
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


AGE_BAND_LABELS = {
    "18-30": _("18–30 tuổi"), "31-40": _("31–40 tuổi"), "41-50": _("41–50 tuổi"),
    "51-60": _("51–60 tuổi"), "61-70": _("61–70 tuổi"), "71+": _("trên 70 tuổi"),
}


def _blank(choices):
    return [("", _("Tất cả")), *choices]


class MemberFilterForm(forms.Form):
    """Filters of the member list; an invalid value is reported and ignored."""

    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _(
                            "Họ tên (không cần dấu), số CCCD, số thẻ")}))
    organization = forms.IntegerField(label=_("Tổ chức"), required=False, min_value=1)
    status = forms.ChoiceField(
        label=_("Loại đảng viên"), required=False,
        choices=_blank([(MemberStatus.PROBATIONARY, MemberStatus.PROBATIONARY.label),
                        (MemberStatus.FULL, MemberStatus.FULL.label)]),
    )
    sex = forms.ChoiceField(label=_("Giới tính"), required=False, choices=_blank(Sex.choices))
    age_band = forms.ChoiceField(
        label=_("Độ tuổi"), required=False,
        choices=_blank([(key, AGE_BAND_LABELS[key]) for key in AGE_BANDS]),
    )
    political_theory_level = forms.ChoiceField(
        label=_("Lý luận chính trị"), required=False, choices=_blank(PoliticalTheoryLevel.choices)
    )
    ordering = forms.ChoiceField(
        label=_("Sắp xếp"), required=False,
        choices=[("name", _("Tên (A–Z)")), ("-name", _("Tên (Z–A)")),
                 ("birth", _("Ngày sinh (cũ → mới)")), ("-birth", _("Ngày sinh (mới → cũ)"))],
    )
    page_size = forms.TypedChoiceField(
        label=_("Số dòng mỗi trang"), required=False, coerce=int, empty_value=50,
        choices=[(n, n) for n in PAGE_SIZES],
    )


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _(
                            "Họ tên (không cần dấu) hoặc số CCCD")}))
    organization = forms.IntegerField(label=_("Tổ chức"), required=False, min_value=1)
    non_members = forms.BooleanField(label=_("Chỉ quần chúng (chưa là đảng viên)"),
                                     required=False)


def writable_organizations(user):
    """Organizations where the user may record people: grassroots organizations and below."""
    return (
        Organization.objects.filter(id__in=scope_organization_ids(user, write=True))
        .filter(dissolved_on__isnull=True)
        .exclude(level__in=[OrganizationLevel.CENTRAL, OrganizationLevel.PROVINCIAL,
                            OrganizationLevel.UPPER])
        .order_by("sort_key")
    )


class PersonForm(forms.ModelForm):
    """Identity and record fields of a person; the service checks citizen ID and dates."""

    class Meta:
        model = Person
        fields = [
            "surname", "middle_name", "given_name", "sex", "date_of_birth", "citizen_id",
            "ethnicity", "religion", "birthplace", "hometown", "residence", "occupation",
            "general_education", "professional_level", "political_theory_level",
        ]
        widgets = {"date_of_birth": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].input_formats = DATE_FORMATS
        self.fields["ethnicity"].queryset = Ethnicity.objects.order_by("code")
        self.fields["ethnicity"].empty_label = None
        self.fields["citizen_id"].help_text = _("12 chữ số; số CMND cũ 9 chữ số vẫn được nhận.")

    def _post_clean(self):
        # Uniqueness and the domain rules are checked by the service, in one place.
        pass

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["ethnicity_id"] = data.pop("ethnicity").pk
        data["citizen_id"] = (data.get("citizen_id") or "").strip() or None
        return data


class PersonCreateForm(PersonForm):
    organization = forms.ModelChoiceField(
        label=_("Tổ chức đảng nơi công tác"), queryset=Organization.objects.none()
    )
    unit_name = forms.CharField(label=_("Đơn vị công tác"), required=False, max_length=255)
    position = forms.CharField(label=_("Chức vụ"), required=False, max_length=120)
    start_date = forms.DateField(label=_("Ngày bắt đầu công tác"), widget=DATE_WIDGET,
                                 input_formats=DATE_FORMATS)

    class Meta(PersonForm.Meta):
        pass

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = writable_organizations(user)

    def service_data(self) -> dict:
        data = super().service_data()
        for key in ("organization", "unit_name", "position", "start_date"):
            data.pop(key, None)
        return data


class AdmissionForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Chi bộ kết nạp"), queryset=Organization.objects.none()
    )
    decision_date = forms.DateField(label=_("Ngày quyết định kết nạp"), widget=DATE_WIDGET,
                                    input_formats=DATE_FORMATS)
    document_number = forms.CharField(label=_("Số quyết định"), required=False, max_length=60)
    document_date = forms.DateField(label=_("Ngày ký quyết định"), required=False,
                                    widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    ceremony_date = forms.DateField(label=_("Ngày lễ kết nạp (nếu đã tổ chức)"), required=False,
                                    widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    record_number = forms.CharField(label=_("Số lý lịch đảng viên"), required=False,
                                    max_length=12)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=255)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = writable_organizations(user)


class CeremonyForm(forms.Form):
    ceremony_date = forms.DateField(label=_("Ngày lễ kết nạp"), widget=DATE_WIDGET,
                                    input_formats=DATE_FORMATS)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=255)


class RecognitionForm(forms.Form):
    effective_date = forms.DateField(
        label=_("Ngày công nhận chính thức"), widget=DATE_WIDGET, input_formats=DATE_FORMATS,
        help_text=_("Là ngày đủ 12 tháng dự bị, kể cả khi quyết định ký sau."),
    )
    document_number = forms.CharField(label=_("Số quyết định"), required=False, max_length=60)
    document_date = forms.DateField(label=_("Ngày ký quyết định"), required=False,
                                    widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=255)


class MemberNumbersForm(forms.Form):
    record_number = forms.CharField(label=_("Số lý lịch đảng viên"), required=False,
                                    max_length=12)
    card_number_old = forms.CharField(label=_("Số thẻ đảng (8 số, mẫu cũ)"), required=False,
                                      max_length=8)
    card_number = forms.CharField(label=_("Số thẻ đảng (12 số, mẫu mới)"), required=False,
                                  max_length=12)


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the matching form fields (others on the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            if field == "ethnicity_id":
                target = "ethnicity"
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
