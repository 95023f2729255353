"""Signals the customers app sends for other apps to follow.

``activities_logged(sender=Activity, activities=[...])`` is sent inside the transaction that
put the activities on their timelines (``services.activity_log`` and ``activity_log_many``), so
a receiver's writes commit or roll back with them. Receivers must not call back into the
logging services, and should handle a batch in a fixed number of queries (the outbox files
hundreds of sent emails at once).
"""

from django.dispatch import Signal

activities_logged = Signal()
