"""Django admin: for superusers only (it is not scoped), and the audit log read-only."""

from django.contrib import admin

from dangbo.core.models import AuditEntry, RoleGrant, Rule


def restrict_admin_to_superusers(site: admin.AdminSite) -> None:
    site.has_permission = lambda request: bool(  # type: ignore[method-assign]
        request.user.is_active and request.user.is_superuser
    )
    site.site_header = "dangbo"
    site.site_title = "dangbo"


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organization", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "organization__name", "organization__code"]
    raw_id_fields = ["organization"]


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["key", "value", "valid_from", "valid_to", "source_document"]
    list_filter = ["key"]

    # Rules change only through /rules/ (core.services.add_rule_version): audited, validated,
    # and never editing a version already in force.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "object_type", "object_repr", "client_address"]
    list_filter = ["action", "object_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
