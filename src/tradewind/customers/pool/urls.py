from django.urls import path

from tradewind.customers.pool import views

app_name = "pool"
urlpatterns = [
    path("rules/", views.rules, name="rules"),
    path("rules/assignment/new/", views.rule_create, name="rule-create"),
    path("rules/assignment/<int:pk>/active/", views.rule_toggle, name="rule-toggle"),
    path("rules/assignment/<int:pk>/delete/", views.rule_delete, name="rule-delete"),
    path("transfer/", views.transfer, name="transfer"),
    path("bulk/", views.bulk, name="bulk"),
    path("<int:pk>/claim/", views.claim, name="claim"),
    path("<int:pk>/release/", views.release, name="release"),
    path("<int:pk>/assign/", views.assign, name="assign"),
]
