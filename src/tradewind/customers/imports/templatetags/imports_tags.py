"""Template tags of the import pages and of the company page's import panel."""

from django import template

from tradewind.customers.imports.selectors import company_import_origin

register = template.Library()


@register.simple_tag
def import_origin(company):
    """The import row that created ``company`` (or None): one query."""
    return company_import_origin(company)
