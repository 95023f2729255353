"""Merge fields in letter templates: filled from real customers in English and Chinese, a missing
value caught before sending, hostile template input refused; the template services, attachments
and pages."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import CompanyFactory, ContactFactory
from tests.outreach.letter_data import make_template
from tradewind.core.errors import DomainError, NotFound
from tradewind.core.models import AuditEvent
from tradewind.outreach import templates, templating
from tradewind.outreach.models import EmailTemplate, TemplateAttachment
from tradewind.outreach.sequences import StepSpec, sequence_save
from tradewind.outreach.templating import (
    MissingMergeValue,
    TemplateRefused,
    merge_context,
    render_template,
)


class Letter:
    def __init__(self, subject, body):
        self.subject, self.body = subject, body


def render(subject, body, **context):
    return render_template(Letter(subject, body), merge_context(**context))


# --- Merging -------------------------------------------------------------------------------


def test_an_english_letter_is_filled_from_the_contact_the_company_and_the_rep(rep, buyer, mailbox):
    rendered = render(
        "LED panels for {{ company.name }}",
        "Dear {{ contact.first_name }},\n\nAs {{ contact.title }} at {{ company.name }} in "
        "{{ company.country_name }}…\n\n{{ me.signature }}",
        contact=buyer,
        me=rep,
    )
    assert rendered.subject == "LED panels for Nordlicht Leuchten GmbH"
    assert rendered.body.startswith("Dear Anna,\n\nAs Head of Purchasing at Nordlicht Leuchten")
    assert "in Germany…" in rendered.body
    assert rendered.body.endswith("Lily Zhang\nSales Manager, Ningbo Bright Lighting")
    assert rendered.missing == ()


def test_a_chinese_letter_keeps_its_text_and_names_the_country_in_chinese(rep, buyer, mailbox):
    letter = Letter(
        "{{ company.name }} 您好：LED 面板灯报价",
        "{{ contact.name }} 您好！\n贵司位于{{ company.country_name }}。",
    )
    rendered = render_template(letter, merge_context(contact=buyer, me=rep, language="zh-hans"))
    assert rendered.subject == "Nordlicht Leuchten GmbH 您好：LED 面板灯报价"
    assert rendered.body == "Anna Weber 您好！\n贵司位于德国。"


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("Anna Weber", "Anna", "Weber"),
        ("Dr. Klaus-Peter Müller", "Klaus-Peter", "Müller"),
        ("Herr Jens Ohlsen", "Jens", "Ohlsen"),
        ("Mme Claire Dubois", "Claire", "Dubois"),
        ("王伟", "王伟", ""),
        ("Ahmed", "Ahmed", ""),
    ],
)
def test_first_and_last_names_skip_courtesy_titles(name, first, last):
    assert templating.first_name(name) == first
    assert templating.last_name(name) == last


def test_an_empty_merge_value_stops_the_letter_with_a_message_naming_field_and_buyer(rep):
    company = CompanyFactory(owner=rep, name="Nordlicht Leuchten GmbH")
    contact = ContactFactory(company=company, name="Anna Weber", title="")
    with pytest.raises(MissingMergeValue) as caught:
        render("Hello", "Dear {{ contact.first_name }}, as {{ contact.title }}…", contact=contact)
    assert caught.value.message == (
        "contact.title is empty for Anna Weber — fill it or change the letter"
    )
    assert caught.value.missing == ("contact.title",)


def test_every_empty_field_is_listed_and_the_preview_marks_them(rep):
    company = CompanyFactory(owner=rep, name="Nordlicht Leuchten GmbH")
    contact = ContactFactory(company=company, name="Anna Weber", title="")
    letter = Letter(
        "{{ company.products_of_interest }}",
        "{{ contact.title }} {{ custom.product }} {{ me.signature }}",
    )
    context = merge_context(contact=contact, me=rep)
    with pytest.raises(MissingMergeValue) as caught:
        render_template(letter, context)
    assert caught.value.missing == (
        "company.products_of_interest",
        "contact.title",
        "custom.product",
        "me.signature",
    )
    assert "custom.product has no value" in caught.value.message
    assert "me.signature is empty for you" in caught.value.message
    preview = render_template(letter, context, allow_missing=True)
    assert preview.subject == "[company.products_of_interest]"
    assert preview.body == "[contact.title] [custom.product] [me.signature]"


def test_a_blank_of_spaces_counts_as_missing(rep, buyer):
    with pytest.raises(MissingMergeValue):
        render("Hi", "About {{ custom.product }}", contact=buyer, custom={"product": "   "})


def test_custom_fields_fill_in_and_are_parsed_from_name_equals_value_lines(rep, buyer):
    custom = templating.parse_custom_fields("product = LED panel lights\n\n# a note\nmoq=500 pcs")
    assert custom == {"product": "LED panel lights", "moq": "500 pcs"}
    rendered = render("{{ custom.product }}", "MOQ {{ custom.moq }}", contact=buyer, custom=custom)
    assert (rendered.subject, rendered.body) == ("LED panel lights", "MOQ 500 pcs")


@pytest.mark.parametrize(
    "text",
    ["no equals sign", "Product Name = x", "1st = x", "a" * 41 + " = x", "x = " + "v" * 501],
)
def test_bad_custom_field_lines_are_refused_with_their_line_number(text):
    with pytest.raises(DomainError) as caught:
        templating.parse_custom_fields("ok = fine\n" + text)
    assert caught.value.message.startswith("Line 2") and caught.value.field == "custom"


def test_more_than_twenty_custom_fields_are_refused():
    with pytest.raises(DomainError):
        templating.parse_custom_fields("\n".join(f"f{n} = v" for n in range(21)))


def test_values_are_plain_text_never_escaped_nor_evaluated_again(rep):
    company = CompanyFactory(owner=rep, name="Müller & Söhne <Import> {{ settings.SECRET_KEY }}")
    contact = ContactFactory(company=company, name="O'Brien {% load log %}")
    rendered = render("{{ company.name }}", "Dear {{ contact.name }}", contact=contact)
    assert rendered.subject == "Müller & Söhne <Import> {{ settings.SECRET_KEY }}"
    assert rendered.body == "Dear O'Brien {% load log %}"


# --- Hostile input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "{% load i18n %}Hello",
        '{% include "base.html" %}',
        "{% extends 'base.html' %}",
        "{% debug %}",
        "{% if contact.name %}x{% endif %}",
        "{% templatetag openblock %}",
        "{{ settings.SECRET_KEY }}",
        "{{ request.user.password }}",
        "{{ contact.__class__ }}",
        "{{ contact.name.__class__.__mro__ }}",
        "{{ contact._meta }}",
        "{{ contact.company.owner.password }}",
        "{{ contact.name|upper }}",
        "{{ contact.name|default:settings }}",
        '{{ "a literal" }}',
        "{{ 42 }}",
        "{{ custom.a.b }}",
        "{{ custom.Product }}",
        "{{ contact }}",
        "{% %}",
    ],
)
def test_anything_but_a_known_merge_field_is_refused_before_saving(rep, body):
    with pytest.raises(TemplateRefused) as caught:
        make_template(rep, body=f"Dear {{{{ contact.first_name }}}},\n{body}")
    assert caught.value.field == "body"
    assert EmailTemplate.objects.count() == 0


def test_a_refused_subject_names_the_subject_field(rep):
    with pytest.raises(TemplateRefused) as caught:
        make_template(rep, subject="Hi {{ settings.DEBUG }}")
    assert caught.value.field == "subject"
    assert "settings.DEBUG" in caught.value.message


@pytest.mark.parametrize(
    ("subject", "body", "field"),
    [
        ("x" * 201, "Body", "subject"),
        ("Line one\nBcc: all@example.com", "Body", "subject"),
        ("Subject", "x" * 50_001, "body"),
        ("Subject", "{{ contact.name }}" * 201, "body"),
    ],
)
def test_oversized_letters_are_refused_cleanly(subject, body, field):
    with pytest.raises(TemplateRefused) as caught:
        templating.fields_used(subject, body)
    assert caught.value.field == field


def test_the_largest_allowed_letter_renders_quickly(rep, buyer):
    body = ("Dear {{ contact.first_name }}, " + "x" * 200 + "\n") * 200
    rendered = render("Hi", body[: templating.MAX_BODY_CHARS], contact=buyer)
    assert rendered.body.count("Dear Anna,") == 200


# --- Template services -----------------------------------------------------------------------


def test_saving_a_template_is_audited_and_only_its_owner_may_change_it(rep, teammate):
    template = make_template(rep, is_shared=True)
    assert AuditEvent.objects.filter(object_type="outreach.emailtemplate", action="create").exists()
    with pytest.raises(NotFound):
        templates.template_save(
            actor=teammate,
            template_id=template.pk,
            name="Mine now",
            language="en",
            subject="x",
            body="y",
        )
    changed = templates.template_save(
        actor=rep,
        template_id=template.pk,
        name="Development letter v2",
        language="en",
        subject=template.subject,
        body=template.body,
        is_shared=True,
    )
    event = AuditEvent.objects.filter(action="update").get()
    assert event.changes == {"name": ["Development letter", "Development letter v2"]}
    assert changed.name == "Development letter v2"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": " "}, "name"),
        ({"language": "de"}, "language"),
        ({"subject": ""}, "subject"),
        ({"body": " \n "}, "body"),
    ],
)
def test_a_template_needs_a_name_a_language_a_subject_and_a_body(rep, fields, field):
    data = {"name": "Letter", "language": "en", "subject": "Hi", "body": "Text"} | fields
    with pytest.raises(DomainError) as caught:
        templates.template_save(actor=rep, **data)
    assert caught.value.field == field


def test_a_template_used_by_a_sequence_cannot_be_deleted(rep, letter_template):
    sequence_save(
        actor=rep,
        name="Cold outreach",
        steps=[StepSpec(kind="email", template_id=letter_template.pk)],
    )
    with pytest.raises(DomainError) as caught:
        templates.template_delete(actor=rep, template_id=letter_template.pk)
    assert "Cold outreach" in caught.value.message
    assert EmailTemplate.objects.filter(pk=letter_template.pk).exists()


# --- Attachments -----------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def docx_bytes(content_types=True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if content_types:
            archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_catalogue_pdf_is_attached_with_the_type_its_bytes_say(rep, letter_template, media):
    upload = SimpleUploadedFile("Catalogue 2025.pdf", PDF_BYTES, content_type="text/plain")
    attachment = templates.attachment_add(actor=rep, template_id=letter_template.pk, upload=upload)
    assert attachment.content_type == "application/pdf"
    assert attachment.filename == "Catalogue 2025.pdf"
    assert attachment.file.read().startswith(b"%PDF-")
    templates.attachment_delete(actor=rep, attachment_id=attachment.pk)
    assert not TemplateAttachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("catalogue.pdf", b"MZ\x90\x00 this is a windows program", "not a PDF, an image"),
        ("photo.png", PDF_BYTES, "name it .pdf"),
        ("empty.pdf", b"", "empty"),
        ("price list.docx", docx_bytes(content_types=False), "zip archive"),
        ("script.html", b"<html><script>alert(1)</script>", "not a PDF, an image"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(
    rep, letter_template, media, name, content, says
):
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(DomainError) as caught:
        templates.attachment_add(actor=rep, template_id=letter_template.pk, upload=upload)
    assert says in caught.value.message
    assert not TemplateAttachment.objects.exists()
    assert not list(media.rglob("*.*"))


def test_office_documents_and_images_are_accepted(rep, letter_template, media):
    docx = SimpleUploadedFile("price list.docx", docx_bytes())
    jpeg = SimpleUploadedFile("panel.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64)
    first = templates.attachment_add(actor=rep, template_id=letter_template.pk, upload=docx)
    second = templates.attachment_add(actor=rep, template_id=letter_template.pk, upload=jpeg)
    assert first.content_type.endswith("wordprocessingml.document")
    assert second.content_type == "image/jpeg"


def test_a_file_over_ten_megabytes_and_a_sixth_file_are_refused(rep, letter_template, media):
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024))
    with pytest.raises(DomainError, match="at most 10 MB"):
        templates.attachment_add(actor=rep, template_id=letter_template.pk, upload=big)
    for n in range(5):
        upload = SimpleUploadedFile(f"sheet{n}.pdf", PDF_BYTES)
        templates.attachment_add(actor=rep, template_id=letter_template.pk, upload=upload)
    with pytest.raises(DomainError, match="at most 5"):
        upload = SimpleUploadedFile("sheet6.pdf", PDF_BYTES)
        templates.attachment_add(actor=rep, template_id=letter_template.pk, upload=upload)


def test_a_hostile_file_name_is_reduced_to_a_plain_name(rep, letter_template, media):
    upload = SimpleUploadedFile("../../etc/pass<wd>.pdf", PDF_BYTES)
    attachment = templates.attachment_add(actor=rep, template_id=letter_template.pk, upload=upload)
    assert attachment.filename == "passwd.pdf"
    assert media in (media / attachment.file.name).resolve().parents


def test_another_rep_cannot_attach_to_or_remove_from_my_template(
    rep, other_rep, letter_template, media
):
    upload = SimpleUploadedFile("c.pdf", PDF_BYTES)
    with pytest.raises(NotFound):
        templates.attachment_add(actor=other_rep, template_id=letter_template.pk, upload=upload)
    attachment = templates.attachment_add(actor=rep, template_id=letter_template.pk, upload=upload)
    with pytest.raises(NotFound):
        templates.attachment_delete(actor=other_rep, attachment_id=attachment.pk)


# --- Pages -----------------------------------------------------------------------------------


def test_the_template_list_shows_mine_and_the_teams_shared_ones_in_few_queries(
    client_of, rep, teammate, other_rep, django_assert_max_num_queries
):
    for n in range(12):
        make_template(rep, name=f"Letter {n:02}")
    make_template(teammate, name="Team letter", is_shared=True)
    make_template(teammate, name="Jack's private letter")
    make_template(other_rep, name="Asia letter", is_shared=True)
    client = client_of(rep)
    client.get(reverse("outreach:template-list"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("outreach:template-list"))
    body = response.content.decode()
    assert "Letter 11" in body and "Team letter" in body
    assert "private letter" not in body and "Asia letter" not in body


def test_another_reps_template_is_a_404_in_the_editor(client_of, rep, other_rep):
    template = make_template(other_rep, is_shared=True)
    client = client_of(rep)
    assert client.get(reverse("outreach:template-edit", args=[template.pk])).status_code == 404
    response = client.post(
        reverse("outreach:template-edit", args=[template.pk]),
        {"name": "x", "language": "en", "subject": "x", "body": "x"},
    )
    assert response.status_code == 404
    assert EmailTemplate.objects.get(pk=template.pk).name == "Development letter"


def test_the_editor_saves_and_shows_a_refused_field_on_the_form(client_of, rep):
    client = client_of(rep)
    response = client.post(
        reverse("outreach:template-create"),
        {"name": "Hostile", "language": "en", "subject": "Hi", "body": "{{ settings.SECRET_KEY }}"},
    )
    assert response.status_code == 200
    assert "is not a merge field" in response.content.decode()
    assert not EmailTemplate.objects.exists()
    response = client.post(
        reverse("outreach:template-create"),
        {"name": "Intro", "language": "en", "subject": "Hi {{ company.name }}", "body": "Dear"},
    )
    template = EmailTemplate.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{template.pk}/")


def test_the_live_preview_fills_in_a_chosen_contact_of_mine(client_of, rep, buyer):
    client = client_of(rep)
    response = client.post(
        reverse("outreach:template-preview"),
        {
            "subject": "For {{ company.name }}",
            "body": "Dear {{ contact.first_name }}, {{ contact.title }}",
            "preview_contact": buyer.pk,
        },
    )
    body = response.content.decode()
    assert "For Nordlicht Leuchten GmbH" in body and "Dear Anna, Head of Purchasing" in body
    sample = client.post(
        reverse("outreach:template-preview"), {"body": "Dear {{ contact.first_name }}"}
    )
    assert "Dear Anna" in sample.content.decode()


def test_the_preview_warns_about_empty_fields_and_refuses_another_reps_contact(
    client_of, rep, other_rep
):
    mine = ContactFactory(company=CompanyFactory(owner=rep), name="Bo Lind", title="")
    theirs = ContactFactory(company=CompanyFactory(owner=other_rep), name="Greta Geheim")
    client = client_of(rep)
    response = client.post(
        reverse("outreach:template-preview"),
        {"body": "{{ contact.title }}", "preview_contact": mine.pk},
    )
    assert "contact.title is empty for Bo Lind" in response.content.decode()
    response = client.post(
        reverse("outreach:template-preview"),
        {"body": "{{ contact.name }}", "preview_contact": theirs.pk},
    )
    assert response.status_code == 404
