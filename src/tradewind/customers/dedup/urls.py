from django.urls import path

from tradewind.customers.dedup import views

app_name = "dedup"
urlpatterns = [
    path("", views.pair_list, name="pair-list"),
    path("check/", views.check, name="check"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/not-duplicate/", views.dismiss, name="dismiss"),
]
