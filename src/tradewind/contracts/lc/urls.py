from django.urls import path

from tradewind.contracts.lc import views

app_name = "lcdesk"
urlpatterns = [
    path("", views.lc_list, name="lc-list"),
    path("new/", views.lc_create, name="lc-create"),
    path("<int:pk>/", views.lc_detail, name="lc-detail"),
    path("<int:pk>/edit/", views.lc_edit, name="lc-edit"),
    path("<int:pk>/check/", views.lc_check, name="lc-check"),
    path("<int:pk>/accept/", views.lc_accept, name="lc-accept"),
    path("<int:pk>/amendments/new/", views.amendment_create, name="amendment-create"),
    path("<int:pk>/amendments/decide/", views.amendment_decide, name="amendment-decide"),
    path("<int:pk>/close/", views.lc_close, name="lc-close"),
]
