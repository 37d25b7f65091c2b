"""The accounts in the admin: Django's user admin, plus anonymising a person on request (RGPD;
directory/privacy.py keeps the rows that reference the account, history included).

`django.contrib.auth.admin` registers its UserAdmin on the project's site when it is imported
(Django's autodiscovery imports it, and so does the import below, which needs its class): the
one model registered twice. Ours extends that class and takes its place, so the registration is
replaced once, here; there is no other way to subclass Django's UserAdmin on the same site.
"""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model

from directory.privacy import anonymise_users

User = get_user_model()

admin.site.unregister(User)


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    actions = [anonymise_users]
