"""Who may see what on the web pages, in one place."""

from django.urls import reverse

CONTACT_DETAILS_PERMISSION = "contacts.view_contact_details"


def can_view_contact_details(user) -> bool:
    """Personal email, phone and notes of contacts are shown only with this permission."""
    return user.has_perm(CONTACT_DETAILS_PERMISSION)


def admin_change_url(user, record) -> str | None:
    """The admin page to edit ``record``, for a staff user allowed to change it; else None."""
    opts = record._meta
    if not (user.is_staff and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")):
        return None
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
