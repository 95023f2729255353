from django.urls import path

from tradewind.quotes import views_documents
from tradewind.quotes import views_quotations as views

app_name = "quotations"

urlpatterns: list = [
    path("", views.quotation_list, name="quotation-list"),
    path("approvals/", views.approval_list, name="approval-list"),
    path("companies/<int:pk>/new/", views.quotation_create, name="create"),
    path(
        "create-from-inquiry/<int:pk>/",
        views.quotation_create_from_inquiry,
        name="create-from-inquiry",
    ),
    path("<int:pk>/", views.quotation_detail, name="quotation-detail"),
    path("<int:pk>/cancel/", views.quotation_cancel, name="quotation-cancel"),
    path("<int:pk>/revisions/new/", views.revision_new, name="revision-new"),
    path("revisions/<int:pk>/", views.revision_detail, name="revision-detail"),
    path("revisions/<int:pk>/edit/", views.revision_edit, name="revision-edit"),
    path("revisions/<int:pk>/price/", views.revision_price, name="revision-price"),
    path("revisions/<int:pk>/compare/", views.revision_compare, name="revision-compare"),
    path("revisions/<int:pk>/lines/new/", views.line_add, name="line-add"),
    path("revisions/<int:pk>/approval/", views.approval_request, name="approval-request"),
    path("lines/<int:pk>/edit/", views.line_edit, name="line-edit"),
    path("lines/<int:pk>/delete/", views.line_delete, name="line-delete"),
    path("approvals/<int:pk>/decide/", views.approval_decide, name="approval-decide"),
    # Documents (engineer: documents). Restored by the quotations engineer after an overwrite:
    # <pk> is a revision for the preview and downloads, a quotation for the decision.
    path("<int:pk>/preview/", views_documents.revision_preview, name="revision-preview"),
    path("<int:pk>/pdf/", views_documents.revision_pdf, name="revision-pdf"),
    path("<int:pk>/xlsx/", views_documents.revision_xlsx, name="revision-xlsx"),
    path("<int:pk>/send/", views_documents.revision_send, name="revision-send"),
    path("<int:pk>/decision/", views_documents.quotation_decision, name="quotation-decision"),
]
