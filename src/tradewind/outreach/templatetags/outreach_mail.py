"""Template helpers of the mail pages."""

from datetime import datetime

from django import template

register = template.Library()


@register.filter(expects_localtime=False)
def iso_datetime(value):
    """An ISO 8601 text (as stored in ``Mailbox.last_test``) as a datetime, or None."""
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None
