"""The accounts in the admin: Django's user admin, plus anonymising a person on request (RGPD;
directory/privacy.py keeps the rows that reference the account, history included).

Ours extends Django's UserAdmin and is the one registered on the project's site, with Django's
GroupAdmin (the moderators' group). Importing `django.contrib.auth.admin` for those classes also
registers them on Django's default site (`django.contrib.admin.site`), which the project does
not serve (directory/moderation/site.py): nothing is unregistered.
"""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from directory.moderation.site import site
from directory.privacy import anonymise_users

User = get_user_model()


@admin.register(User, site=site)
class UserAdmin(auth_admin.UserAdmin):
    actions = [anonymise_users]


site.register(Group, auth_admin.GroupAdmin)
