"""``{% page_url n %}``: the current page's address with ``page=n`` and every other parameter kept."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()
