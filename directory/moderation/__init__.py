"""Moderation, inside the Django admin.

- who may moderate what is decided in directory/access.py (`moderated_associations`).
- locks.py: 15-minute review locks, taken by a conditional UPDATE.
- queue.py: everything waiting for a decision, in a fixed number of queries.
- services.py: every moderation decision (atomic, logged, e-mails after the commit).
- history.py: a listing's versions and revert (the state and its diff: directory/listings/state.py).
- duplicates.py, reminders.py, digest.py, dashboard.py: detection, freshness, e-mails, figures.
- site.py: the project's admin site, which mounts the moderation pages (views.py) and opens on the
  queue's counts; apps.py installs it. admin.py: the admins of the moderation models.
- public.py: the report form and the verification link.
"""
