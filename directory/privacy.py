"""Personal data on request: anonymise an account (moderators, in the admin) and export one's
own data (directory/accounts/mydata.py)."""

import uuid

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.editing import uploads
from directory.models import (
    AssociationManager,
    Claim,
    HelperProfile,
    HelpOffer,
    Invitation,
    ListingDraft,
    PendingChange,
    Report,
    TemporaryUpload,
)


@transaction.atomic
def user_anonymise(*, user):
    """Drops a person's personal data but keeps the rows that reference the account (history,
    decisions, changes they proposed): name and e-mail replaced, password unusable, deactivated,
    memberships ended, their e-mail removed from reports and open invitations."""
    old_email = user.email
    user.username = f"anonyme-{uuid.uuid4().hex[:12]}"
    user.email = ""
    user.first_name = user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    AssociationManager.objects.filter(user=user).delete()  # a link, not content: nothing to keep
    # Unfinished add-form drafts and the images they kept: their own work, never sent.
    ListingDraft.objects.filter(user=user).delete()
    uploads.upload_discard(uploads=list(TemporaryUpload.objects.filter(user=user)))
    # A digital helper's profile: hidden, its name and presentation dropped, pending offers withdrawn.
    HelpOffer.objects.filter(helper__user=user, status=HelpOffer.Status.PENDING).update(
        status=HelpOffer.Status.WITHDRAWN
    )
    HelperProfile.objects.filter(user=user).update(
        display_name=_("Aidant anonymisé"), bio="", status=HelperProfile.Status.WITHDRAWN
    )
    if old_email:
        Report.objects.filter(email__iexact=old_email).update(email="")
        Invitation.objects.filter(email__iexact=old_email).update(email="anonyme@invalid")
    return user


@admin.action(description=gettext_lazy("Anonymiser (sur demande de la personne)"), permissions=["change"])
def anonymise_users(modeladmin, request, queryset):
    """Admin action on users. Superusers cannot be anonymised this way."""
    done = 0
    for user in queryset.exclude(is_superuser=True).exclude(pk=request.user.pk):
        user_anonymise(user=user)
        done += 1
    modeladmin.message_user(request, _("%(n)d compte(s) anonymisé(s).") % {"n": done}, messages.SUCCESS)


def user_data(user):
    """Everything the site holds about an account, as JSON-ready data."""
    return {
        "account": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "memberships": [
            {"association": m.association.name, "slug": m.association.slug}
            for m in AssociationManager.objects.filter(user=user).select_related("association")
        ],
        "pending_changes": [
            {
                "association": c.association.slug,
                "status": c.status,
                "proposed": c.proposed,
                "created_at": c.created_at.isoformat() if getattr(c, "created_at", None) else None,
            }
            for c in PendingChange.objects.filter(submitted_by=user).select_related("association")
        ],
        "helper_profile": [
            {
                "display_name": p.display_name,
                "bio": p.bio,
                "status": p.status,
                "skills": p.skill_codes,
                "areas": [a.slug for a in p.areas.all()],
                "offers": [
                    {"request": o.request.title, "message": o.message, "status": o.status}
                    for o in p.offers.select_related("request")
                ],
            }
            for p in HelperProfile.objects.filter(user=user).prefetch_related("skill_rows", "areas")
        ],
        "listing_drafts": [
            {
                "values": d.values,
                "steps_done": d.steps_done,
                "created_at": d.created_at.isoformat(),
                "submitted_at": d.submitted_at.isoformat() if d.submitted_at else None,
            }
            for d in ListingDraft.objects.filter(user=user)
        ],
        "claims": [
            {
                "association": c.association.slug,
                "status": c.status,
                "created_at": c.created_at.isoformat() if getattr(c, "created_at", None) else None,
            }
            for c in Claim.objects.filter(user=user).select_related("association")
        ],
    }
