"""Pages of the admission pipeline: the board, a candidate's dossier, the due list, and the forms
that call the services (one each)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dangbo.admissions import documents, services
from dangbo.admissions.forms import (
    CandidateStartForm,
    DocumentTemplateForm,
    ExceptionForm,
    ExtensionForm,
    StepForm,
)
from dangbo.admissions.models import Stage, StepKind
from dangbo.admissions.selectors import (
    count_by_stage,
    get_candidate,
    list_candidates,
    list_deadlines,
    list_due,
    next_deadline,
    stage_of,
)
from dangbo.core.access import can_write, require_write, scope_organization_ids
from dangbo.core.forms import apply_service_errors
from dangbo.members.models import Member
from dangbo.members.selectors import get_person
from dangbo.members.services import home_organization
from dangbo.organizations.models import Organization

DUE_WITHIN_DAYS = 30


def _require_personal_scope(request) -> None:
    if (
        not request.user.is_superuser
        and not scope_organization_ids(request.user, personal=True).exists()
    ):
        raise PermissionDenied(_("Your role does not allow you to see admission candidates."))


def _organization(request):
    """The organization chosen with ?organization=<id>, if the user may see it (else 404)."""
    requested = request.GET.get("organization")
    if not requested:
        return None
    try:
        pk = int(requested)
    except ValueError:
        raise Http404 from None
    organization = Organization.objects.visible_to(request.user, personal=True).filter(pk=pk)
    found = organization.first()
    if found is None:
        raise Http404
    return found


class BoardView(LoginRequiredMixin, View):
    """Candidates by stage as of the chosen date, with the counts and the overdue steps."""

    def get(self, request):
        _require_personal_scope(request)
        as_of = request.as_of
        organization = _organization(request)
        candidates = list(
            list_candidates(user=request.user, organization=organization, as_of=as_of)
        )
        counts = count_by_stage(user=request.user, organization=organization, as_of=as_of)
        deadlines = {
            d.candidate.pk: d
            for d in list_deadlines(user=request.user, organization=organization, as_of=as_of)
        }
        columns = []
        for stage in Stage:
            rows = [(c, deadlines.get(c.pk)) for c in candidates if c.stage == stage.value]
            columns.append(
                {"stage": stage, "label": stage.label, "count": counts[stage.value], "rows": rows}
            )
        overdue = sum(1 for d in deadlines.values() if d.is_overdue(as_of))
        return render(
            request,
            "admissions/board.html",
            {
                "nav": "admissions",
                "organization": organization,
                "columns": columns,
                "overdue": overdue,
                "total": len(candidates),
                "can_manage_templates": services.can_manage_document_templates(request.user),
            },
        )


class DueListView(LoginRequiredMixin, View):
    """Steps due in the next 30 days, and the overdue ones, within the user's scope."""

    def get(self, request):
        _require_personal_scope(request)
        as_of = request.as_of
        organization = _organization(request)
        overdue = [
            d
            for d in list_deadlines(user=request.user, organization=organization, as_of=as_of)
            if d.is_overdue(as_of)
        ]
        due = list_due(
            user=request.user,
            organization=organization,
            as_of=as_of,
            within_days=DUE_WITHIN_DAYS,
        )
        return render(
            request,
            "admissions/due_list.html",
            {
                "nav": "admissions",
                "organization": organization,
                "overdue": overdue,
                "due": due,
                "within_days": DUE_WITHIN_DAYS,
            },
        )


class CandidateDetailView(LoginRequiredMixin, View):
    """A candidate's dossier: the steps, votes, rule verdicts, exceptions and the deadline."""

    def get(self, request, pk):
        candidate = get_candidate(user=request.user, pk=pk)
        as_of = request.as_of
        steps = list(candidate.steps.all())
        # The verdicts name their rule version's source: one query for all of them.
        prefetch_related_objects([v for step in steps for v in step.verdicts.all()], "rule")
        deadline = next_deadline(
            candidate, as_of, steps=steps, extensions=list(candidate.extensions.all())
        )
        return render(
            request,
            "admissions/candidate_detail.html",
            {
                "nav": "admissions",
                "candidate": candidate,
                "person": candidate.person,
                "steps": steps,
                "stage": Stage(stage_of(steps, as_of)),
                "deadline": deadline,
                "overdue": deadline is not None and deadline.is_overdue(as_of),
                "exceptions": list(candidate.rule_exceptions.all()),
                "extensions": list(candidate.extensions.all()),
                "can_write": can_write(request.user, candidate.organization),
                "documents": [
                    (kind, StepKind(kind).label) for kind in documents.available_kinds(steps)
                ],
            },
        )


class DocumentDownloadView(LoginRequiredMixin, View):
    """One filled dossier form as .docx (404 out of scope, or before its step exists)."""

    def get(self, request, pk, kind):
        candidate = get_candidate(user=request.user, pk=pk)
        try:
            content = documents.export_document(actor=request.user, candidate=candidate, kind=kind)
        except documents.DocumentUnavailable:
            raise Http404 from None
        response = HttpResponse(content, content_type=documents.CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{kind}-{candidate.pk}.docx"'
        return response


class _FormView(LoginRequiredMixin, View):
    """A form that changes one candidate; 404 outside the personal scope, 403 without write."""

    form_class: type = StepForm
    title = gettext_lazy("Record a step")
    success_message = gettext_lazy("Saved.")

    def load(self, request, pk):
        candidate = get_candidate(user=request.user, pk=pk)
        require_write(request.user, candidate.organization)
        return candidate

    def get(self, request, pk):
        candidate = self.load(request, pk)
        return self.render(request, candidate, self.form_class())

    def post(self, request, pk):
        candidate = self.load(request, pk)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.save(request, candidate, form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, self.success_message)
                return redirect("admissions:candidate_detail", pk=candidate.pk)
        return self.render(request, candidate, form, status=400)

    def render(self, request, candidate, form, status=200):
        return render(
            request,
            "admissions/candidate_form.html",
            {
                "nav": "admissions",
                "candidate": candidate,
                "person": candidate.person,
                "form": form,
                "title": self.title,
                "show_as_of": False,
            },
            status=status,
        )


class StepCreateView(_FormView):
    form_class = StepForm
    title = gettext_lazy("Record a step")
    success_message = gettext_lazy("Step recorded.")

    def get(self, request, pk):
        candidate = self.load(request, pk)
        initial = {"kind": request.GET.get("kind", "")}
        return self.render(request, candidate, self.form_class(initial=initial))

    def save(self, request, candidate, data):
        services.record_step_of_kind(
            actor=request.user, candidate=candidate, kind=data["kind"], data=data
        )


class ExceptionCreateView(_FormView):
    form_class = ExceptionForm
    title = gettext_lazy("Record a rule exception")
    success_message = gettext_lazy("Exception recorded.")

    def save(self, request, candidate, data):
        services.record_exception(actor=request.user, candidate=candidate, **data)


class DeadlineExtendView(_FormView):
    form_class = ExtensionForm
    title = gettext_lazy("Extend a deadline")
    success_message = gettext_lazy("Deadline extended.")

    def save(self, request, candidate, data):
        services.extend_deadline(actor=request.user, candidate=candidate, **data)


class CandidateCreateView(LoginRequiredMixin, View):
    """Start a candidate from a person on the staff (``?person=<id>``)."""

    def load(self, request):
        person = get_person(user=request.user, pk=request.GET.get("person"))
        home = home_organization(person)
        if home is None:
            raise PermissionDenied(_("This record does not belong to any organization yet."))
        require_write(request.user, home)
        return person, home

    def get(self, request):
        person, home = self.load(request)
        form = CandidateStartForm(user=request.user, initial={"organization": home.pk})
        return self.render(request, person, form)

    def post(self, request):
        person, _home = self.load(request)
        form = CandidateStartForm(request.POST, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                helper = Member.objects.visible_to(request.user).filter(pk=data["helper"]).first()
                if helper is None:
                    raise ValidationError(
                        {"helper": _("No member with this id within your scope.")},
                        code="invalid",
                    )
                data["helper"] = helper
                candidate = services.start_candidate(actor=request.user, person=person, **data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Candidate started."))
                return redirect("admissions:candidate_detail", pk=candidate.pk)
        return self.render(request, person, form, status=400)

    def render(self, request, person, form, status=200):
        return render(
            request,
            "admissions/candidate_start.html",
            {
                "nav": "admissions",
                "person": person,
                "form": form,
                "title": _("Start a candidate: %(name)s") % {"name": person.full_name},
                "show_as_of": False,
            },
            status=status,
        )


class DocumentTemplateMixin(LoginRequiredMixin):
    """The template pages: login first, then 403 unless the user may change the templates
    (``services.can_manage_document_templates``, the same people as may change the rules);
    an unknown document kind answers 404."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not services.can_manage_document_templates(request.user):
            raise PermissionDenied(
                _(
                    "Only a superuser or an administrator of a top-level organization may "
                    "change the document templates: every organization uses them."
                )
            )
        kind = kwargs.get("kind")
        if kind is not None and kind not in documents.DOCUMENTS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def _template_rows(forms_by_kind=None):
    rows = []
    for kind, spec in documents.DOCUMENTS.items():
        label = str(StepKind(kind).label)
        rows.append(
            {
                "kind": kind,
                # Most step labels already name their form ("… (6-KNĐ)").
                "title": label if spec.form in label else f"{label} ({spec.form})",
                "replaced": documents.is_replaced(kind),
                "placeholders": documents.placeholders_for(kind),
                "form": (forms_by_kind or {}).get(kind)
                or DocumentTemplateForm(auto_id=f"id_{kind}_%s"),
            }
        )
    return rows


def _render_templates(request, forms_by_kind=None, status=200):
    return render(
        request,
        "admissions/document_templates.html",
        {
            "nav": "admissions",
            "rows": _template_rows(forms_by_kind),
            "placeholder_example": "{{full_name}}",
            "show_as_of": False,
        },
        status=status,
    )


class DocumentTemplateListView(DocumentTemplateMixin, View):
    """The four dossier forms: which template is in use, download, replace, restore."""

    def get(self, request):
        return _render_templates(request)


class DocumentTemplateDownloadView(DocumentTemplateMixin, View):
    """The template in use for one document, placeholders unfilled."""

    def get(self, request, kind):
        content = documents.template_content(kind)
        response = HttpResponse(content, content_type=documents.CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{kind}.docx"'
        return response


class DocumentTemplateUploadView(DocumentTemplateMixin, View):
    """Replace one document's template with an uploaded .docx."""

    def post(self, request, kind):
        form = DocumentTemplateForm(request.POST, request.FILES, auto_id=f"id_{kind}_%s")
        if form.is_valid():
            upload = form.cleaned_data["template"]
            # One byte past the limit is enough for the service to refuse a larger file.
            content = upload.read(services.MAX_TEMPLATE_BYTES + 1)
            try:
                services.replace_document_template(
                    actor=request.user, kind=kind, file_name=upload.name, content=content
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The template is replaced."))
                return redirect(f"{reverse('admissions:document_templates')}#template-{kind}")
        return _render_templates(request, {kind: form}, status=400)


class DocumentTemplateRestoreView(DocumentTemplateMixin, View):
    """Go back to the built-in template of one document."""

    def post(self, request, kind):
        try:
            services.restore_default_template(actor=request.user, kind=kind)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The default template is restored."))
        return redirect(f"{reverse('admissions:document_templates')}#template-{kind}")
