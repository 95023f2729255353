"""Letters, templates and sequences (engineer O2). Names are ``outreach:<name>``."""

from django.urls import path

from tradewind.outreach import views_letters, views_sequences, views_templates

urlpatterns: list = [
    path("letters/", views_templates.template_list, name="template-list"),
    path("letters/templates/new/", views_templates.template_edit, name="template-create"),
    path("letters/templates/<int:pk>/", views_templates.template_edit, name="template-edit"),
    path(
        "letters/templates/<int:pk>/delete/",
        views_templates.template_delete,
        name="template-delete",
    ),
    path(
        "letters/templates/<int:pk>/attachments/",
        views_templates.attachment_add,
        name="template-attachment-add",
    ),
    path(
        "letters/attachments/<int:pk>/delete/",
        views_templates.attachment_delete,
        name="template-attachment-delete",
    ),
    path("letters/preview/", views_templates.template_preview, name="template-preview"),
    path("letters/new/<int:pk>/", views_letters.letter_compose, name="letter-compose"),
    path("letters/customer/<int:pk>/cancel/", views_letters.letter_cancel, name="letter-cancel"),
    path("sequences/", views_sequences.sequence_list, name="sequence-list"),
    path("sequences/new/", views_sequences.sequence_edit, name="sequence-create"),
    path("sequences/<int:pk>/", views_sequences.sequence_edit, name="sequence-edit"),
    path("sequences/<int:pk>/delete/", views_sequences.sequence_delete, name="sequence-delete"),
    path("sequences/enrollments/", views_sequences.enrollment_list, name="enrollment-list"),
    path("sequences/enrol/", views_sequences.enrol_filter, name="enrol-filter"),
    path("sequences/customer/<int:pk>/enrol/", views_letters.enrol_contact, name="enrol-contact"),
    path(
        "sequences/customer/<int:pk>/enrollment/",
        views_letters.enrollment_action,
        name="enrollment-action",
    ),
]
