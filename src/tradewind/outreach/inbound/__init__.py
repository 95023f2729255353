"""Inbound mail: IMAP polling, matching to customers, and the new-inquiries inbox.

- ``parsing``  — raw message bytes → :class:`ParsedMail` (pure, never raises)
- ``matching`` — which customer a message belongs to (thread, address, domain)
- ``filing``   — store once, timeline entry, stop sequences, follow-up task
- ``polling``  — :func:`poll_mailbox` and the periodic job ``poll_mailboxes``
- ``leads``    — the inbox's actions: turn a new inquiry into a lead, file it on a customer,
  dismiss and undo
- ``selectors``— the inbox list and one message, through the visibility rule
"""
