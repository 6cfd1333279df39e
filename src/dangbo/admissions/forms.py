"""Forms of the admission pages: they parse input; the services validate the procedure and the
rules of the Party."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dangbo.admissions import rules
from dangbo.admissions.models import CandidateSource, StepKind, UnionCommittee
from dangbo.core.access import scope_organization_ids
from dangbo.organizations.models import Organization, OrganizationKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
# The referral up is written by the service after the failed votes, never by hand.
STEP_FORM_KINDS = [kind for kind in StepKind.values if kind != StepKind.REFERRED_UP]


def _date(label, required=True):
    return forms.DateField(
        label=label, required=required, widget=DATE_WIDGET, input_formats=DATE_FORMATS
    )


class CandidateStartForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Developing branch"), queryset=Organization.objects.none()
    )
    source = forms.ChoiceField(label=_("Source"), choices=CandidateSource.choices)
    helper = forms.IntegerField(
        label=_("Assigned helper (member id)"),
        min_value=1,
        help_text=_("The id of a full member of the branch, from the member list."),
    )
    started_on = _date(_("Development started on"))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            id__in=scope_organization_ids(user, write=True),
            kind=OrganizationKind.BRANCH,
            dissolved_on__isnull=True,
        ).order_by("sort_key", "id")


class StepForm(forms.Form):
    """One form for every step; the fields a kind does not use are ignored."""

    kind = forms.ChoiceField(label=_("Step"))
    date = _date(_("Date"))
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=60)
    note = forms.CharField(label=_("Note"), required=False, max_length=255)
    conclusion = forms.CharField(label=_("Verification conclusion"), required=False, max_length=255)
    introducer = forms.IntegerField(
        label=_("Introducer (member id)"),
        required=False,
        min_value=1,
        help_text=_("Introduction: a full member, or a union committee below."),
    )
    union_committee = forms.ChoiceField(
        label=_("Union committee"),
        required=False,
        choices=[("", "—"), *UnionCommittee.choices],
    )
    resolution_number = forms.CharField(
        label=_("Union resolution number"), required=False, max_length=60
    )
    eligible_members = forms.IntegerField(
        label=_("Members entitled to vote"),
        required=False,
        min_value=0,
        help_text=_("Committee resolution only; a branch counts its full members itself."),
    )
    present = forms.IntegerField(label=_("Members present"), required=False, min_value=0)
    votes_for = forms.IntegerField(label=_("Votes for"), required=False, min_value=0)
    votes_against = forms.IntegerField(label=_("Votes against"), required=False, min_value=0)

    VOTE_FIELDS = {
        StepKind.BRANCH_RESOLUTION: ("present", "votes_for", "votes_against"),
        StepKind.COMMITTEE_RESOLUTION: (
            "eligible_members",
            "present",
            "votes_for",
            "votes_against",
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, StepKind(kind).label) for kind in STEP_FORM_KINDS]

    def clean(self):
        data = super().clean()
        for name in self.VOTE_FIELDS.get(data.get("kind"), ()):
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, _("Enter the number for this resolution."))
        return data


class ExceptionForm(forms.Form):
    rule_key = forms.ChoiceField(
        label=_("Rule"), choices=[(key, key) for key in rules.EXCEPTION_RULES]
    )
    document_number = forms.CharField(label=_("Approving document"), max_length=120)
    approved_on = _date(_("Approved on"))
    note = forms.CharField(label=_("Note"), required=False, max_length=255)


class ExtensionForm(forms.Form):
    step_kind = forms.ChoiceField(
        label=_("Step"),
        choices=[
            (kind, StepKind(kind).label)
            for kind in (StepKind.DECISION, StepKind.CEREMONY, StepKind.RECOGNITION_REVIEW)
        ],
    )
    working_days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=365)
    reason = forms.CharField(label=_("Reason"), max_length=255)
    granted_on = _date(_("Granted on"))
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=60)


class DocumentTemplateForm(forms.Form):
    """The replacement .docx of one document; the service checks that it is one."""

    template = forms.FileField(
        label=_("Template file (.docx)"),
        help_text=_("A Word document (.docx) of at most 2 MB, with the placeholders below."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".docx,application/vnd.openxmlformats-officedocument."
                "wordprocessingml.document"
            }
        ),
    )
