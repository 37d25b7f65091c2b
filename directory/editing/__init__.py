"""Editing listings by their managers: proposed values, pending changes, claims, co-managers.

- the JSON form of a listing's public fields that a PendingChange proposes, read from and applied
  to an Association, is directory/listings/state.py.
- services.py: pending changes (submit, amend, withdraw, approve, reject), new listings,
  managers and invitations. Atomic, logged, e-mails sent after commit.
- claims.py: claiming a listing, by code or by a reviewed request.
- steps.py, drafts.py, uploads.py: the add form in steps (what each step asks), the draft it
  fills and sends once through services.association_submit_new, and the images kept across a
  refused step (temporary uploads bound to the session, deleted after a day).
- wording.py: statuses, the preview's banner and the history in plain words.
- views.py, forms.py: the association space's pages and forms.
- admin.py: the admins of pending changes, claims, managers and invitations, whose actions go
  through these services and directory.moderation.services.
"""
