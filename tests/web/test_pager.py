from django.template.loader import render_to_string
from django.test import RequestFactory

from tradewind.customers.selectors import Page


def test_pager_links_keep_every_filter_and_change_only_the_page():
    request = RequestFactory().get("/customers/tasks/", {"show": "done", "q": "a&b", "page": "2"})
    page = Page(items=list(range(50)), number=2, size=50, has_next=True)
    html = render_to_string("web/partials/pager.html", {"page": page, "request": request})
    assert 'href="?show=done&amp;q=a%26b&amp;page=1"' in html
    assert 'href="?show=done&amp;q=a%26b&amp;page=3"' in html
    assert "51–100" in html


def test_pager_on_the_first_and_last_page_disables_its_ends():
    request = RequestFactory().get("/customers/tasks/")
    page = Page(items=[1], number=1, size=50, has_next=False)
    html = render_to_string("web/partials/pager.html", {"page": page, "request": request})
    assert 'rel="prev"' not in html and 'rel="next"' not in html
    assert html.count('aria-disabled="true"') == 2
