"""Building blocks of the multi-step writes in each app's services.py.

A write validates every record with ``full_clean()`` (field rules, ``clean()`` and the
database constraints), so the admin, the API and commands apply the same rules. Nested
lists (an agreement's signatories, an event's participants, a person's positions) are
written row by row inside the caller's transaction; the errors of every row are collected
and raised together, and the transaction rolls everything back.
"""

import hashlib
import secrets
from collections.abc import Callable, Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction

from relations.core.concurrency import defer_parent_version, move_version
from relations.core.models import FeedToken


class NestedValidationError(ValidationError):
    """Errors of a record and of the rows of its nested lists, kept apart by list and position.

    ``record``: the ValidationError of the record itself (or None); ``items``: for each nested
    list, one entry per submitted row, None where the row was valid.
    """

    def __init__(self, *, record: ValidationError | None = None, items: dict[str, list] | None = None):
        self.record = record
        self.items = {name: rows for name, rows in (items or {}).items() if any(rows)}
        flat: dict[str, list[str]] = {}
        if record is not None:
            for field, messages in _error_dict(record).items():
                flat.setdefault(field, []).extend(messages)
        for name, rows in self.items.items():
            for position, error in enumerate(rows, start=1):
                if error is not None:
                    flat.setdefault(name, []).extend(f"Row {position}: {m}" for m in error.messages)
        super().__init__(flat)


def _error_dict(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: ValidationError(errors).messages for field, errors in error.error_dict.items()}
    return {NON_FIELD_ERRORS: error.messages}


def clean_error(instance: models.Model) -> ValidationError | None:
    """The ValidationError of ``instance.full_clean()``, or None when it is valid."""
    try:
        instance.full_clean()
    except ValidationError as error:
        return error
    return None


def save_as(instance: models.Model, *, user=None) -> None:
    """Save, recording ``user`` in the history (the API authenticates after the history middleware runs)."""
    if user is not None and user.is_authenticated:
        instance._history_user = user
    instance.save()


def delete_as(instance: models.Model, *, user=None) -> None:
    if user is not None and user.is_authenticated:
        instance._history_user = user
    instance.delete()


def record_write(*, instance: models.Model, fields: dict, user=None) -> models.Model:
    """Set ``fields`` on ``instance``, validate it like the admin does, save it."""
    for name, value in fields.items():
        setattr(instance, name, value)
    error = clean_error(instance)
    if error is not None:
        raise NestedValidationError(record=error)
    save_as(instance, user=user)
    return instance


def _key_value(value):
    return value.pk if isinstance(value, models.Model) else value


def children_replace(
    *,
    model: type[models.Model],
    parent: models.Model,
    parent_field: str,
    items: list[dict],
    key: tuple[str, ...],
    user=None,
    prepare: Callable[[models.Model], None] | None = None,
) -> list[ValidationError | None]:
    """Make ``parent``'s rows of ``model`` exactly ``items``; return each item's error (None if valid).

    A row whose ``key`` fields equal an item's is kept and updated (its history and UUID
    survive); rows matching no item are deleted; the other items become new rows. Each row
    is validated with full_clean() (after ``prepare``) and saved if valid, so a later row is
    checked against the earlier ones (e.g. the same person listed twice). When a row was
    written, ``parent``'s version moves once, on the instance too (relations/core/concurrency.py,
    "Nested rows"), instead of once per row: the ETag answered after the write is the stored one.
    """
    attnames = [model._meta.get_field(name).attname for name in key]
    unmatched: dict[tuple, list[models.Model]] = {}
    for row in model.objects.filter(**{parent_field: parent}).order_by("pk"):
        unmatched.setdefault(tuple(getattr(row, attname) for attname in attnames), []).append(row)
    matched = []
    for item in items:
        candidates = unmatched.get(tuple(_key_value(item.get(name)) for name in key))
        matched.append(candidates.pop(0) if candidates else None)
    written = False
    for leftovers in unmatched.values():
        for row in leftovers:
            defer_parent_version(row, parent_field)
            delete_as(row, user=user)
            written = True

    errors: list[ValidationError | None] = []
    for item, row in zip(items, matched, strict=True):
        before = {name: _key_value(getattr(row, name)) for name in item} if row is not None else None
        row = row or model(**{parent_field: parent})
        for name, value in item.items():
            setattr(row, name, value)
        if prepare is not None:
            prepare(row)
        error = clean_error(row)
        errors.append(error)
        if error is None and before != {name: _key_value(value) for name, value in item.items()}:
            defer_parent_version(row, parent_field)
            save_as(row, user=user)
            written = True
    if written:
        move_version(parent)
    return errors


# Calendar feed keys (README "Calendar feeds"): one per user, made when first needed.
def _new_feed_key() -> tuple[str, str]:
    key = secrets.token_urlsafe(32)
    return key, feed_key_digest(key)


def feed_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def feed_token_get_or_create(*, user) -> FeedToken:
    """The user's calendar feed key, made on first use."""
    try:
        return FeedToken.objects.get(user=user)
    except FeedToken.DoesNotExist:
        key, digest = _new_feed_key()
        try:
            with transaction.atomic():
                return FeedToken.objects.create(user=user, key=key, digest=digest)
        except IntegrityError:  # made at the same moment by another request of the same user
            return FeedToken.objects.get(user=user)


def feed_token_reset(*, user) -> FeedToken:
    """Give the user a new calendar feed key: every address with the old one stops working at once."""
    key, digest = _new_feed_key()
    token, _created = FeedToken.objects.update_or_create(user=user, defaults={"key": key, "digest": digest})
    return token
