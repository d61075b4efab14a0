"""Optimistic concurrency: refuse a save based on a version of a record that is no longer current.

A record's version is its ``updated_at`` (every Relations model has it, and every save
moves it), written as whole microseconds since the epoch. Forms carry it in a hidden
field; the API sends it as an ETag and reads it back from ``If-Match``. On save,
``check_version`` locks the row (``SELECT ... FOR UPDATE``, inside the caller's
transaction) and compares, so of two editors who opened the same version, the second
to save is refused instead of silently overwriting the first.

Nested rows. An agreement's parties and signatories, a person's positions (also listed on their
organization's admin page) and an event's participants and side meetings are shown and written
with the record they belong to, the "parent" (``version_parents`` on the child's model), but each
also has its own admin page. So that the parent's version covers them, saving or deleting such a
row moves each parent's ``updated_at`` to now, in the same transaction (one UPDATE, without a
history entry: the parent's own fields did not change). A row moved to another parent moves the
old parent's version too. It is done by the ``post_save`` and ``post_delete`` signals because they
are the one hook that every path reaches, the admin's pages and inlines, imports, services, the
API, and a cascade or queryset delete (``QuerySet.update()`` and ``bulk_*`` reach no hook and are
not used on these rows outside data generation); fixture loading (``raw``) keeps the stored
times. A write of the parent with its rows (services' ``children_replace``) asks its rows not to
and moves the parent's version once itself, keeping the new value on the instance it answers
with, so the API's ETag after a nested write is the one stored. The version stays one column,
read and locked with the row as before, so admin forms and If-Match work unchanged.

Two writes that lock in opposite orders. A write locks its own record first, then its nested rows'
saves UPDATE the other parents: a person's API write with their positions locks the person, then
moves the organizations; the organization's admin page saving a position inline locks the
organization, then moves the person. At the same moment each waits for the other's lock, and
PostgreSQL aborts one of them (a deadlock, SQLSTATE 40P01; 40001 is its sibling, a serialization
failure). A consistent lock order would need every write to know, before its first lock, every row
its nested saves will touch, so instead the aborted write, which saved nothing, runs once more from
the start (``retry_on_write_conflict``): by then the other write has committed, so the retry either
goes through or, when the other write moved the version it was based on, is refused as stale like
any other late save. Aborted again, it is refused with ``WriteConflictError`` (the API's 409, a form
error in the admin), never a server error.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TypeVar

from django.db import OperationalError, connections, models, router, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext

ANY = "*"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The database aborted the transaction because of another one: deadlock_detected, serialization_failure.
WRITE_CONFLICT_SQLSTATES = frozenset({"40P01", "40001"})

T = TypeVar("T")


class StaleRecordError(Exception):
    """The submitted version is missing or no longer the record's current version."""

    def __init__(self, message: str, *, current: str | None = None):
        super().__init__(message)
        self.current = current


class WriteConflictError(Exception):
    """The database aborted a write twice because another write held rows it needed; nothing was saved."""

    def __init__(self):
        super().__init__(write_conflict_message())


def write_conflict_message() -> str:
    return gettext(
        "Someone else was saving a related record at the same moment, so nothing was saved. Please try again."
    )


def is_write_conflict(error: BaseException) -> bool:
    """True if ``error`` (or what caused it) is the database aborting a deadlock's victim or a serialization failure."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, WriteConflictError):
            return True
        seen.add(id(error))
        # psycopg 3 names the SQLSTATE ``sqlstate``, psycopg2 ``pgcode``.
        if (getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)) in WRITE_CONFLICT_SQLSTATES:
            return True
        error = error.__cause__
    return False


def retry_on_write_conflict(write: Callable[[], T], *, using: str) -> T:
    """Run ``write``, which opens its own transaction; if the database aborts it as a deadlock's victim, run it once
    more from the start, then raise WriteConflictError if it is aborted again.

    ``write`` must start from the database (fetch its records again, rebuild its forms from the submitted data):
    the aborted attempt saved nothing, and what it read may be stale. Inside an enclosing transaction a retry
    could not start afresh, so the first conflict is refused at once.
    """
    retries = 0 if connections[using].in_atomic_block else 1
    while True:
        try:
            return write()
        except OperationalError as error:
            if not is_write_conflict(error):
                raise
            if not retries:
                raise WriteConflictError() from error
            retries -= 1


def version_of(updated_at: datetime) -> str:
    delta = updated_at.astimezone(UTC) - _EPOCH
    return str((delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds)


def record_version(obj) -> str:
    """The version of ``obj`` as loaded in memory."""
    return version_of(obj.updated_at)


def etag(obj, representation: str | None = None) -> str:
    """A strong HTTP ETag for ``obj``'s version, e.g. ``"1764334800123456"``.

    ``representation``: the format of the body it goes with. JSON (or None) has the bare version,
    the one writes compare If-Match with; any other format (``csv``) has its own tag,
    ``"1764334800123456-csv"``, since a strong ETag names one sequence of bytes (RFC 9110 8.8.1).
    """
    if representation in (None, "json"):
        return f'"{record_version(obj)}"'
    return f'"{record_version(obj)}-{representation}"'


def parse_if_match(header: str | None) -> list[str]:
    """The versions named by an ``If-Match`` header: ``["*"]``, a list, or ``[]`` when absent.

    Only a bare ``*`` is the wildcard; a quoted ``"*"`` is an ordinary entity tag (RFC 9110
    13.1.1) that names no version, so it is dropped. Weak tags (``W/"..."``) never match under
    If-Match's strong comparison, so they are dropped too; so is anything that is not a quoted tag.
    """
    if not header or not header.strip():
        return []
    if header.strip() == ANY:
        return [ANY]
    versions = []
    for part in header.split(","):
        tag = part.strip()
        if len(tag) >= 2 and tag[0] == tag[-1] == '"' and tag[1:-1] != ANY:
            versions.append(tag[1:-1])
    return versions


def _refuse_unless(current: str | None, submitted: set[str], name) -> None:
    if current is None:
        raise StaleRecordError(
            gettext("This %(record)s was deleted by someone else; your changes were not saved.") % {"record": name}
        )
    if ANY not in submitted and current not in submitted:
        raise StaleRecordError(
            gettext(
                "Someone else saved this %(record)s after you opened it, so your changes were not saved "
                "(nothing was overwritten). Open the %(record)s again to see their changes, then redo yours."
            )
            % {"record": name},
            current=current,
        )


def _submitted_versions(obj, submitted: str | Iterable[str] | None) -> set[str]:
    if isinstance(submitted, str) or submitted is None:
        submitted = [submitted] if submitted else []
    submitted = {str(v).strip() for v in submitted if v is not None and str(v).strip()}
    if not submitted:
        raise StaleRecordError(
            gettext(
                "This form does not say which version of the %(record)s it changes; "
                "open the %(record)s again and redo the change."
            )
            % {"record": obj._meta.verbose_name}
        )
    return submitted


def check_version(obj, submitted: str | Iterable[str] | None) -> None:
    """Lock ``obj``'s row and raise StaleRecordError unless ``submitted`` is its current version.

    ``submitted`` is one version (a form's hidden field) or several (``parse_if_match``);
    ``"*"`` accepts any version of a record that still exists. Call it inside the
    transaction that then saves, so the lock holds until the save is committed.
    """
    submitted = _submitted_versions(obj, submitted)
    model = type(obj)
    using = obj._state.db or router.db_for_write(model)
    with transaction.atomic(using=using, savepoint=False):
        updated_at = (
            # The base manager: a default manager's select_related would lock joined rows too.
            model._base_manager.using(using)
            .select_for_update(of=("self",))
            .filter(pk=obj.pk)
            .values_list("updated_at", flat=True)
            .first()
        )
    _refuse_unless(None if updated_at is None else version_of(updated_at), submitted, obj._meta.verbose_name)


def reload_locked(obj) -> bool:
    """Reload ``obj``'s fields from its row, locked until the caller's transaction ends; False if it is gone.

    A write that starts from this copy cannot put back an older value of a field it does not
    change: whatever was committed before the lock is in it, and nothing else can commit until
    the write does. Prefetched relations are dropped (they were read before the lock).
    """
    model = type(obj)
    using = obj._state.db or router.db_for_write(model)
    with transaction.atomic(using=using, savepoint=False):
        try:
            obj.refresh_from_db(from_queryset=model._base_manager.using(using).select_for_update(of=("self",)))
        except model.DoesNotExist:
            return False
    return True


def check_loaded_version(obj, submitted: str | Iterable[str] | None) -> None:
    """Raise StaleRecordError unless ``submitted`` names ``obj``'s version as loaded (by ``reload_locked``)."""
    _refuse_unless(record_version(obj), _submitted_versions(obj, submitted), obj._meta.verbose_name)


# --- Nested rows: a child's save or delete moves its parents' versions (see the module's docstring) ---


def move_version(instance: models.Model) -> None:
    """Move ``instance``'s version to now, in the database and on the instance, leaving its other fields as they are."""
    now = timezone.now()
    type(instance)._base_manager.using(instance._state.db).filter(pk=instance.pk).update(updated_at=now)
    instance.updated_at = now


def defer_parent_version(row: models.Model, field: str) -> None:
    """Saving or deleting ``row`` leaves the parent named by ``field`` alone: the caller moves its version itself."""
    row._version_moved_by_caller = {*getattr(row, "_version_moved_by_caller", ()), field}


def _move_parent_versions(sender, instance, using, raw=False, **kwargs):
    from relations.core.models import parent_ids

    if raw:  # loading fixtures or a backup: keep the stored times
        return
    skip = getattr(instance, "_version_moved_by_caller", ())
    current = parent_ids(instance)
    targets: dict[type[models.Model], set] = {}
    for name, pk in current | getattr(instance, "_loaded_version_parents", set()):
        if name not in skip:
            targets.setdefault(instance._meta.get_field(name).related_model, set()).add(pk)
    origin = kwargs.get("origin")
    if isinstance(origin, models.Model) and type(origin) in targets:
        # A cascade from deleting the parent itself: its row goes next, no version to move.
        targets[type(origin)].discard(origin.pk)
    now = timezone.now()
    for model, pks in targets.items():
        if pks:
            model._base_manager.using(using).filter(pk__in=pks).update(updated_at=now)
    instance._loaded_version_parents = current


def connect_nested_versions() -> None:
    """Connect the signals for every model with ``version_parents`` (called once, from the core app's ready())."""
    from django.apps import apps

    for model in apps.get_models():
        if getattr(model, "version_parents", ()):
            uid = f"relations-version-parents-{model._meta.label_lower}"
            post_save.connect(_move_parent_versions, sender=model, dispatch_uid=uid)
            post_delete.connect(_move_parent_versions, sender=model, dispatch_uid=uid)
