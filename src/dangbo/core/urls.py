from django.urls import path

from dangbo.core import views

app_name = "core"
urlpatterns = [
    path("", views.AuditListView.as_view(), name="audit_list"),
    path("export/", views.AuditExportView.as_view(), name="audit_export"),
]
