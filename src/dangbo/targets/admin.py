"""Admin of terms and targets (superusers only): every save goes through ``targets.services``,
so the admin validates, audits and refreshes the cached figures like the web pages."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from dangbo.targets import services
from dangbo.targets.models import Target, Term


class TermAdminForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["organization", "name", "starts_on", "ends_on", "resolution"]

    def clean(self):
        data = super().clean()
        # The service validates again when saving; here its errors land on the form fields.
        if not self.errors:
            candidate = Term(
                pk=self.instance.pk,
                organization=data.get("organization") or self.instance.organization,
                name=" ".join(data.get("name", "").split()),
                starts_on=data.get("starts_on"),
                ends_on=data.get("ends_on"),
            )
            try:
                services.validate_term(candidate)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for message in messages:
                        self.add_error(field if field in self.fields else None, message)
        return data


class TargetAdminForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["term", "organization", "new_members", "yearly_rate_percent", "resolution"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                services.validate_target(
                    actor=self.current_user,
                    term=data.get("term") or self.instance.term,
                    organization=data.get("organization") or self.instance.organization,
                    new_members=data.get("new_members"),
                    yearly_rate_percent=data.get("yearly_rate_percent"),
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for message in messages:
                        self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    form = TermAdminForm
    list_display = ["name", "organization", "starts_on", "ends_on", "resolution"]
    search_fields = ["name", "organization__name", "organization__code"]
    raw_id_fields = ["organization"]
    date_hierarchy = "starts_on"

    def get_readonly_fields(self, request, obj=None):
        return ["organization"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # a term is history: correct it, never delete it

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in ("name", "starts_on", "ends_on")}
        data["resolution"] = form.cleaned_data.get("resolution", "")
        if change:
            saved = services.update_term(actor=request.user, term=obj, **data)
        else:
            saved = services.create_term(
                actor=request.user, organization=form.cleaned_data["organization"], **data
            )
        obj.pk = saved.pk


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    form = TargetAdminForm
    list_display = ["term", "organization", "new_members", "yearly_rate_percent", "resolution"]
    search_fields = ["term__name", "organization__name", "organization__code"]
    raw_id_fields = ["term", "organization"]

    def get_readonly_fields(self, request, obj=None):
        return ["term", "organization"] if obj else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.current_user = request.user
        return form

    def save_model(self, request, obj, form, change):
        saved = services.set_target(
            actor=request.user,
            term=form.cleaned_data.get("term") or obj.term,
            organization=form.cleaned_data.get("organization") or obj.organization,
            new_members=form.cleaned_data.get("new_members"),
            yearly_rate_percent=form.cleaned_data.get("yearly_rate_percent"),
            resolution=form.cleaned_data.get("resolution", ""),
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.delete_target(actor=request.user, target=obj)

    def delete_queryset(self, request, queryset):
        for target in queryset:
            services.delete_target(actor=request.user, target=target)
