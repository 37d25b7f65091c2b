"""Moderation (issue 5), inside the Django admin.

- who may moderate what is decided in directory/access.py (`moderated_associations`).
- locks.py: 15-minute review locks, taken by a conditional UPDATE.
- queue.py: everything waiting for a decision, in a fixed number of queries.
- services.py: every moderation decision (atomic, logged, e-mails after the commit).
- diff.py, history.py: field-by-field comparisons, a listing's versions and revert.
- duplicates.py, reminders.py, digest.py, dashboard.py: detection, freshness, e-mails, figures.
- admin.py, views.py: the admin pages; public.py: the report form and the verification link.
"""
