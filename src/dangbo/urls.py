from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from dangbo.core.admin import restrict_admin_to_superusers

restrict_admin_to_superusers(admin.site)

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/", include("dangbo.api.urls")),
    path("organizations/", include("dangbo.organizations.urls")),
    path("members/", include("dangbo.members.urls")),
    path("admissions/", include("dangbo.admissions.urls")),
    path("terms/", include("dangbo.targets.urls")),
    path("audit/", include("dangbo.core.urls")),
    path("roles/", include("dangbo.core.role_urls")),
    path("rules/", include("dangbo.core.rule_urls")),
    path("", include("dangbo.reports.urls")),
]

handler404 = "dangbo.core.views.page_not_found"
handler403 = "dangbo.core.views.permission_denied"
handler500 = "dangbo.core.views.server_error"
