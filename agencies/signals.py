"""An API token is a password's stand-in: it must not outlive the password it was made under, nor the account.

This is an invariant of authentication, not a business rule (design.md rule 1 keeps those in services): a
password changes through Django's own paths — the password page, the admin, `changepassword`, `set_password()` in
a shell — none of which goes through our services, so the one place that sees them all is the user row's save.
"""

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .tokens import tokens_revoke_all


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="agencies.tokens_die_with_the_password")
def _note_credential_change(sender, instance, update_fields=None, **kwargs):
    instance._revoke_api_tokens = False
    if instance.pk is None or (update_fields is not None and not {"password", "is_active"} & set(update_fields)):
        return  # e.g. the last_login update at every login: no query
    stored = sender._default_manager.filter(pk=instance.pk).values("password", "is_active").first()
    if stored is None:
        return
    # Django re-hashes a password on login when its hasher or iteration count changed; the password is the same.
    # Its setter clears _password and saves the password alone, which a real change (set_password, or a hash
    # written in the admin) never does.
    rehash = getattr(instance, "_password", None) is None and update_fields is not None and (
        set(update_fields) == {"password"})
    password_changed = stored["password"] != instance.password and not rehash
    deactivated = stored["is_active"] and not instance.is_active
    instance._revoke_api_tokens = password_changed or deactivated


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="agencies.revoke_api_tokens")
def _revoke_api_tokens(sender, instance, created, **kwargs):
    if getattr(instance, "_revoke_api_tokens", False):
        tokens_revoke_all(user=instance)
        instance._revoke_api_tokens = False
