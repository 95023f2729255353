"""The quotation as a PDF: the HTML template rendered by WeasyPrint with the print CSS.

- Fonts: ``Noto Sans CJK SC`` (Debian ``fonts-noto-cjk``) carries both the Chinese and the Latin
  text; WeasyPrint embeds the subset each document uses.
- Speed: the font configuration and the compiled print CSS are made once per process, and
  decoded images are kept between renders (keyed by URL; a changed photo gets a new URL, see
  ``images``). Renders in one process take turns (``_render_lock``): Pango's font objects are
  shared by them.
- Safety: nothing is fetched from the network or from outside ``MEDIA_ROOT``. The fetcher
  refuses every other URL (an ``<img src="http://…">`` typed into a description would be
  escaped anyway; this is the second wall), and the template escapes every value.
"""

import functools
import logging
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from tradewind.quotes.documents.context import QuotationDocument
from tradewind.quotes.documents.images import cached_copy, media_root

DOCUMENT_LANGUAGE = "en"  # documents to buyers are in English (DESIGN.md, "Bilingual")
TEMPLATE = "quotes/documents/quotation.html"
CSS_FILE = Path(__file__).resolve().parent.parent / "templates/quotes/documents/quotation.css"
IMAGE_CACHE_ITEMS = 1000

# WeasyPrint reports each layout step at INFO: seven lines per document in the server log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

_render_lock = threading.Lock()
_image_cache: dict = {}


class LocalOnlyFetcher(URLFetcher):
    """Serves ``file:`` URLs inside MEDIA_ROOT (and inline ``data:``); refuses everything else."""

    def fetch(self, url, headers=None):
        scheme = url.partition(":")[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise ValueError(f"documents load no {scheme or 'relative'} URLs: {url[:80]}")
        path = Path(url2pathname(unquote(urlsplit(url).path))).resolve()
        if not path.is_relative_to(media_root()):
            raise ValueError(f"documents read only files under MEDIA_ROOT: {url[:80]}")
        copy = cached_copy(path)
        content = copy.content if copy is not None else path.read_bytes()
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, content, {"Content-Type": mime_type})


@functools.cache
def print_setup() -> tuple[FontConfiguration, CSS]:
    """The font configuration and the compiled print CSS, made once per process."""
    font_config = FontConfiguration()
    css = CSS(string=CSS_FILE.read_text(encoding="utf-8"), font_config=font_config)
    return font_config, css


def document_css() -> str:
    """The print CSS as text, for the web preview (the same rules on screen)."""
    return CSS_FILE.read_text(encoding="utf-8")


def render_html(document: QuotationDocument, *, inline_css: bool = False) -> str:
    """The document's HTML page, always in the document language; with ``inline_css`` a page
    that stands alone (the web preview's frame)."""
    context = {"doc": document, "inline_css": document_css() if inline_css else ""}
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string(TEMPLATE, context)


def html_to_pdf(html: str) -> bytes:
    font_config, css = print_setup()
    page = HTML(
        string=html,
        base_url=media_root().as_uri() + "/",
        url_fetcher=LocalOnlyFetcher(),
    )
    with _render_lock:
        if len(_image_cache) > IMAGE_CACHE_ITEMS:
            _image_cache.clear()
        return page.write_pdf(stylesheets=[css], font_config=font_config, cache=_image_cache)


def render_pdf(document: QuotationDocument) -> bytes:
    return html_to_pdf(render_html(document))
