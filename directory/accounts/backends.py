from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Log in with an e-mail address (case-insensitive); a username still works (the admin's).

    Inactive accounts (e-mail not yet verified) are refused by ModelBackend.user_can_authenticate.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username or kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        users = get_user_model()._default_manager
        user = users.filter(email__iexact=username.strip()).order_by("pk").first()
        if user is None:
            user = users.filter(username=username).first()
        if user is None:
            users.model().set_password(password)  # same cost as a real check (timing)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
