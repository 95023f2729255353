from django.urls import path

from tradewind.customers.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("export/", views.export_customers, name="export"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/mapping/", views.mapping, name="mapping"),
    path("<int:pk>/progress/", views.job_progress, name="progress"),
    path("<int:pk>/resume/", views.job_resume, name="resume"),
    path("<int:pk>/run/", views.job_run_for_real, name="run-for-real"),
    path("<int:pk>/report/", views.job_report, name="report"),
]
