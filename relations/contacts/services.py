"""Multi-step writes on organizations and people, shared by the admin, the API and commands."""

from relations.contacts.models import contact_search_key, organization_search_key


def search_keys_rebuild(*, organization_model, contact_model, batch_size: int = 1000) -> dict[str, int]:
    """Recompute the stored search key of every organization and person; return how many changed.

    Rows written in bulk (fixtures, ``bulk_create``, imports from an older version of the rules)
    skip ``save()``; this brings their keys up to date. The models are passed in so a data
    migration can run it with its historical models.
    """
    changed = {}
    for label, model, build in (
        ("organizations", organization_model, organization_search_key),
        ("contacts", contact_model, contact_search_key),
    ):
        stale = []
        for record in model.objects.all().iterator(chunk_size=batch_size):
            key = build(record)
            if record.search_key != key:
                record.search_key = key
                stale.append(record)
        model.objects.bulk_update(stale, ["search_key"], batch_size=batch_size)
        changed[label] = len(stale)
    return changed
