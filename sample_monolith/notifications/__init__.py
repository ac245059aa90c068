"""Notifications: transactional e-mail through an outbox table.

Nothing here talks to a real mail server.  E-mails are written to the
``email_outbox`` table in the caller's transaction and "delivered" later by
:func:`sample_monolith.notifications.jobs.flush_email_outbox`.
"""
