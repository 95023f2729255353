from django.urls import path

from tradewind.core import views

app_name = "workspace"

urlpatterns = [
    path("fx/", views.fx_rates, name="fx"),
    path("company/", views.company_profile, name="company-profile"),
    path("company/logo/", views.company_logo, name="company-logo"),
    path("teams/", views.teams, name="teams"),
]
