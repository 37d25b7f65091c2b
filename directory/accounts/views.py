"""Account pages: sign-up and e-mail verification, log-in/out, password reset and change,
e-mail change, account deletion. Django's auth views where they exist, thin views otherwise."""

from types import MappingProxyType

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory.accounts import services
from directory.accounts.forms import (
    AccountDeleteForm,
    EmailAuthenticationForm,
    EmailChangeForm,
    HumanPasswordResetForm,
    SignupForm,
    VerifyForm,
)
from directory.models import AssociationManager

BACKEND = "directory.accounts.backends.EmailBackend"


def safe_next(request):
    """The `next` of the request (form field, else query string) if it is a path of this site,
    else "": kept through sign-up, the verification e-mail and log-in."""
    value = request.POST.get("next") or request.GET.get("next") or ""
    if value.startswith("/") and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def signup(request):
    next_url = safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "directory:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.account_signup(
            email=form.cleaned_data["email"], password=form.cleaned_data["password1"], next_url=next_url
        )
        request.session["signup_email"] = form.cleaned_data["email"]
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


def signup_done(request):
    return render(request, "accounts/signup_done.html", {"email": request.session.get("signup_email", "")})


def verify(request, token):
    """GET shows the form (mail scanners follow links); POST, with the password chosen at
    sign-up, creates the account and logs in."""
    pending = services.pending_signup_from_token(token)
    if pending is None:
        return render(request, "accounts/verify_invalid.html", status=400)
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.account_verify(pending=pending, password=form.cleaned_data["password"])
        except services.AccountError as error:
            form.add_error("password", str(error))
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, _("Votre adresse est confirmée : bienvenue !"))
            return redirect(safe_next(request) or "directory:dashboard")
    return render(
        request, "accounts/verify.html", {"email": pending.email, "form": form, "next": safe_next(request)}
    )


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    form_class = HumanPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "emails/password_reset.txt"
    html_email_template_name = "emails/password_reset.html"
    subject_template_name = "emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_email_context = MappingProxyType({"site_name": "Lyon Assos"})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        messages.success(self.request, _("Votre mot de passe est changé : connectez-vous."))
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        messages.success(self.request, _("Votre mot de passe est changé."))
        return super().form_valid(form)


@login_required
def account(request):
    managed = AssociationManager.objects.filter(user=request.user).select_related("association")
    return render(
        request,
        "accounts/account.html",
        {"email_form": EmailChangeForm(user=request.user), "memberships": managed},
    )


@login_required
def email_change(request):
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_request_email_change(user=request.user, new_email=form.cleaned_data["email"])
        messages.success(
            request,
            _("Un lien de confirmation a été envoyé à %(email)s.") % {"email": form.cleaned_data["email"]},
        )
        return redirect("accounts:account")
    return render(request, "accounts/email_change.html", {"form": form})


@login_required
def email_confirm(request, token):
    if request.method == "POST":
        try:
            services.account_confirm_email_change(user=request.user, token=token)
        except services.AccountError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Votre adresse e-mail est changée."))
        return redirect("accounts:account")
    return render(request, "accounts/email_confirm.html", {"token": token})


@login_required
def delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user)
        messages.success(request, _("Votre compte est supprimé."))
        return redirect("directory:home")
    memberships = AssociationManager.objects.filter(user=request.user).select_related("association")
    return render(request, "accounts/delete.html", {"form": form, "memberships": memberships})


logout_view = require_POST(LogoutView.as_view())
