from django.urls import path

from dangbo.admissions import views

app_name = "admissions"
urlpatterns = [
    path("", views.BoardView.as_view(), name="board"),
    path("due/", views.DueListView.as_view(), name="due_list"),
    path("new/", views.CandidateCreateView.as_view(), name="candidate_create"),
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
