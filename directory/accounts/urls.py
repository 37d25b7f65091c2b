from django.urls import path

from directory.accounts import views

app_name = "accounts"

urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("inscription/envoyee/", views.signup_done, name="signup_done"),
    path("verifier/<str:token>/", views.verify, name="verify"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("mot-de-passe/oubli/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oubli/envoye/",
        views.auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    path("", views.account, name="account"),
    path("email/", views.email_change, name="email_change"),
    path("email/confirmer/<str:token>/", views.email_confirm, name="email_confirm"),
    path("supprimer/", views.delete, name="delete"),
]
