"""Accounts of association volunteers: sign-up with a verified e-mail, log-in by e-mail,
e-mail change, account deletion. Built on django.contrib.auth (see services.py)."""
