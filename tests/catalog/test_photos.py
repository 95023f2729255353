"""Product photos: only real JPEG, PNG and WebP pictures within the limits; order; removal;
served to signed-in users only."""

import os

import pytest
from django.urls import reverse

from tests.catalog.conftest import picture, upload
from tradewind.catalog import services
from tradewind.catalog.models import ProductPhoto
from tradewind.core.errors import DomainError
from tradewind.core.images import MAX_IMAGE_BYTES
from tradewind.core.models import AuditEvent


@pytest.mark.parametrize(
    ("kind", "extension", "content_type"),
    [("PNG", ".png", "image/png"), ("JPEG", ".jpg", "image/jpeg"), ("WEBP", ".webp", "image/webp")],
)
def test_real_pictures_are_stored_unchanged_under_a_fresh_name(rep, product, kind, extension,
                                                               content_type):  # fmt: skip
    content = picture(kind)
    photo = services.photo_add(
        actor=rep, product_id=product.pk, upload=upload(content, "../../evil.html"), caption="Front"
    )
    assert photo.image.name.endswith(extension)
    assert "evil" not in photo.image.name
    with photo.image.open("rb") as stored:
        assert stored.read() == content
    event = AuditEvent.objects.filter(object_type="catalog.product", action="update").get()
    assert event.changes == {"photos": [None, "Front"]}


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"<script>alert(1)</script>", "not a JPEG, PNG or WebP"),
        (b"GIF89a" + b"\0" * 100, "not a JPEG, PNG or WebP"),
        (b"", "empty"),
        (picture("GIF"), "not a JPEG, PNG or WebP"),
        (picture("JPEG", size=(400, 300))[:300], "damaged"),
        (picture("PNG", size=(8000, 6000)), "megapixels"),
    ],
    ids=["script", "fake-gif", "empty", "gif", "truncated-jpeg", "too-many-pixels"],
)
def test_anything_else_is_refused(rep, product, content, words):
    with pytest.raises(DomainError) as caught:
        services.photo_add(actor=rep, product_id=product.pk, upload=upload(content, "a.jpg"))
    assert caught.value.field == "image"
    assert words in caught.value.message
    assert not ProductPhoto.objects.exists()


def test_a_picture_over_5_mb_is_refused_before_it_is_read(rep, product):
    big = upload(b"\x89PNG" + b"\0" * MAX_IMAGE_BYTES, "big.png")
    with pytest.raises(DomainError) as caught:
        services.photo_add(actor=rep, product_id=product.pk, upload=big)
    assert "the limit is 5 MB" in caught.value.message


def test_a_product_has_at_most_twelve_photos(rep, product):
    for _ in range(services.MAX_PHOTOS):
        services.photo_add(actor=rep, product_id=product.pk, upload=upload(picture()))
    with pytest.raises(DomainError) as caught:
        services.photo_add(actor=rep, product_id=product.pk, upload=upload(picture()))
    assert "remove one" in caught.value.message


def test_photos_are_reordered_and_each_must_be_named_once(rep, product):
    a, b, c = (
        services.photo_add(actor=rep, product_id=product.pk, upload=upload(picture()), caption=x)
        for x in "abc"
    )
    services.photo_reorder(actor=rep, product_id=product.pk, photo_ids=[c.pk, a.pk, b.pk])
    assert [p.caption for p in product.photos.order_by("position")] == ["c", "a", "b"]
    with pytest.raises(DomainError):
        services.photo_reorder(actor=rep, product_id=product.pk, photo_ids=[c.pk, a.pk])
    with pytest.raises(DomainError):
        services.photo_reorder(actor=rep, product_id=product.pk, photo_ids=[c.pk, a.pk, a.pk])
    services.photo_move(actor=rep, photo_id=b.pk, offset=-1)
    assert [p.caption for p in product.photos.order_by("position")] == ["c", "b", "a"]


def test_removing_a_photo_deletes_its_file_after_commit(
    rep, product, django_capture_on_commit_callbacks
):
    photo = services.photo_add(actor=rep, product_id=product.pk, upload=upload(picture()))
    path = photo.image.path
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_remove(actor=rep, photo_id=photo.pk)
    assert not ProductPhoto.objects.exists()
    assert not os.path.exists(path)


def test_photo_files_are_served_to_signed_in_users_only(client, client_of, rep, other_rep,
                                                         product):  # fmt: skip
    photo = services.photo_add(actor=rep, product_id=product.pk, upload=upload(picture("JPEG")))
    url = reverse("catalog:photo-file", args=[photo.pk])
    assert client.get(url).status_code == 302  # to the log-in page
    response = client_of(other_rep).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == photo.image.open("rb").read()
    assert client.get(reverse("catalog:photo-file", args=[photo.pk + 9])).status_code == 404


def test_photo_pages_add_move_and_remove(client_of, rep, product):
    client = client_of(rep)
    add = reverse("catalog:photo-add", args=[product.pk])
    response = client.post(add, {"image": upload(picture()), "caption": "Side"})
    assert response.status_code == 302
    response = client.post(add, {"image": upload(b"not a picture", "x.png")})
    assert response.status_code == 422
    assert "not a JPEG, PNG or WebP" in response.content.decode()
    photo = product.photos.get()
    client.post(reverse("catalog:photo-move", args=[photo.pk]), {"direction": "up"})
    client.post(reverse("catalog:photo-delete", args=[photo.pk]))
    assert not product.photos.exists()
