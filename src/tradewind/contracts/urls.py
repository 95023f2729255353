from django.urls import path

from tradewind.contracts import views, views_money

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="contract-list"),
    path("from-quotation/<int:pk>/", views.contract_create, name="contract-create"),
    path("<int:pk>/", views.contract_detail, name="contract-detail"),
    path("<int:pk>/edit/", views.contract_edit, name="contract-edit"),
    path("<int:pk>/payment/", views.contract_payment, name="contract-payment"),
    path("<int:pk>/ready/", views.contract_ready, name="contract-ready"),
    path("<int:pk>/reopen/", views.contract_reopen, name="contract-reopen"),
    path("<int:pk>/send/", views.contract_send, name="contract-send"),
    path("<int:pk>/sign/", views.contract_sign, name="contract-sign"),
    path("<int:pk>/amend/", views.contract_amend, name="contract-amend"),
    path("<int:pk>/cancel/", views.contract_cancel, name="contract-cancel"),
    path("<int:pk>/preview/", views.contract_preview, name="contract-preview"),
    path("<int:pk>/pdf/", views.contract_pdf, name="contract-pdf"),
    path("<int:pk>/start-production/", views.production_start, name="production-start"),
    path("<int:pk>/clauses/add/", views.clause_add, name="clause-add"),
    path("<int:pk>/approval/", views_money.approval_request, name="approval-request"),
    path("lines/<int:pk>/edit/", views.line_edit, name="line-edit"),
    path("clauses/<int:pk>/edit/", views.clause_edit, name="clause-edit"),
    path("clauses/<int:pk>/reset/", views.clause_reset, name="clause-reset"),
    path("clauses/<int:pk>/delete/", views.clause_delete, name="clause-delete"),
    path("versions/<int:pk>/countersigned/", views.version_file, name="version-file"),
    path("deposits/<int:pk>/slip/", views_money.deposit_slip, name="deposit-slip"),
    path("deposits/<int:pk>/credit/", views_money.deposit_credit, name="deposit-credit"),
    path("approvals/<int:pk>/decide/", views_money.approval_decide, name="approval-decide"),
    path("credit/", views_money.credit_settings, name="credit-settings"),
    path(
        "credit/countries/<str:country>/delete/",
        views_money.country_risk_delete,
        name="country-risk-delete",
    ),
    path("credit/buyers/<int:pk>/", views_money.buyer_credit_edit, name="buyer-credit-edit"),
    path("clause-templates/", views_money.template_list, name="template-list"),
    path("clause-templates/<int:pk>/", views_money.template_edit, name="template-edit"),
]
