"""Django admin for the admission pipeline: read-only, for superusers (the admin is not scoped).
Cases change through the services only, so that the order, the rules and the audit hold."""

from django.contrib import admin

from dangbo.admissions.models import (
    AdmissionStep,
    Candidate,
    DeadlineExtension,
    RuleException,
    RuleVerdict,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


STEP_FIELDS = ("kind", "date", "document_number", "note", "recorded_by", "recorded_at")


class StepInline(admin.TabularInline):
    model = AdmissionStep
    fields = STEP_FIELDS
    readonly_fields = STEP_FIELDS
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ["person", "organization", "source", "started_on", "helper"]
    list_filter = ["source"]
    search_fields = ["person__search_name", "organization__name"]
    raw_id_fields = ["person", "organization", "helper"]
    inlines = [StepInline]


@admin.register(RuleVerdict)
class RuleVerdictAdmin(ReadOnlyAdmin):
    list_display = ["step", "rule_key", "subject", "value", "passed", "exception"]
    list_filter = ["rule_key", "passed"]


@admin.register(RuleException)
class RuleExceptionAdmin(ReadOnlyAdmin):
    list_display = ["candidate", "rule_key", "document_number", "approved_on"]
    list_filter = ["rule_key"]


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(ReadOnlyAdmin):
    list_display = ["candidate", "step_kind", "working_days", "granted_on", "reason"]
