from django.urls import path

from dangbo.members import views

app_name = "members"
urlpatterns = [
    path("", views.MemberListView.as_view(), name="member_list"),
    # The exports come before "<str:pk>/", which would take "export" for an id.
    path("export/", views.MemberExportView.as_view(), name="member_export"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/export/", views.PersonExportView.as_view(), name="person_export"),
    path("people/new/", views.PersonCreateView.as_view(), name="person_create"),
    path("people/<str:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<str:pk>/edit/", views.PersonUpdateView.as_view(), name="person_update"),
    path("people/<str:pk>/admit/", views.PersonAdmitView.as_view(), name="person_admit"),
    path("<str:pk>/", views.MemberDetailView.as_view(), name="member_detail"),
    path("<str:pk>/edit/", views.MemberUpdateView.as_view(), name="member_update"),
    path("<str:pk>/ceremony/", views.MemberCeremonyView.as_view(), name="member_ceremony"),
    path("<str:pk>/recognize/", views.MemberRecognizeView.as_view(), name="member_recognize"),
]
