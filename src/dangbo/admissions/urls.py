from django.urls import path

from dangbo.admissions import exports, views

app_name = "admissions"
urlpatterns = [
    path("", views.BoardView.as_view(), name="board"),
    path("due/", views.DueListView.as_view(), name="due_list"),
    path("export/", exports.BoardExportView.as_view(), name="board_export"),
    path("due/export/", exports.DueListExportView.as_view(), name="due_list_export"),
    path("new/", views.CandidateCreateView.as_view(), name="candidate_create"),
    # Before "<pk>/": "templates" is not a candidate.
    path("templates/", views.DocumentTemplateListView.as_view(), name="document_templates"),
    path(
        "templates/<slug:kind>.docx",
        views.DocumentTemplateDownloadView.as_view(),
        name="document_template_download",
    ),
    path(
        "templates/<slug:kind>/upload/",
        views.DocumentTemplateUploadView.as_view(),
        name="document_template_upload",
    ),
    path(
        "templates/<slug:kind>/restore/",
        views.DocumentTemplateRestoreView.as_view(),
        name="document_template_restore",
    ),
    path("<str:pk>/", views.CandidateDetailView.as_view(), name="candidate_detail"),
    path(
        "<str:pk>/documents/<slug:kind>.docx",
        views.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path("<str:pk>/steps/new/", views.StepCreateView.as_view(), name="step_create"),
    path("<str:pk>/exceptions/new/", views.ExceptionCreateView.as_view(), name="exception_create"),
    path("<str:pk>/extensions/new/", views.DeadlineExtendView.as_view(), name="deadline_extend"),
]
