"""Finding records that are probably the same person or organization entered twice.

Two uses: the admin's add form warns when the new record's name (in any script, in either
order) or email is already on file (``*_matches``), and the "Possible duplicates" page lists
likely pairs among all records (``duplicate_pairs``), scored with rapidfuzz over the normalised
names. To stay fast with tens of thousands of records, a pair is only compared when the two
names share a word's first three letters (and, for organizations, the country): blocking keeps
the comparisons near-linear instead of all n² pairs.
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q
from rapidfuzz import fuzz

from relations.contacts.models import Contact, Organization
from relations.core.text import compact_form

# token_sort_ratio at or above this counts as a likely duplicate (100 = same words).
SIMILARITY_THRESHOLD = 88


def _same_form(text: str) -> Q:
    """Records whose search key holds ``text`` as one whole name form (not just a part of one)."""
    compact = compact_form(text)
    if len(compact) < 3:
        return Q(pk__in=[])
    return Q(search_key__contains=f"| {compact} |") | Q(search_key__endswith=f"| {compact}")


def contact_matches(*, given_name="", family_name="", native_name="", email="", exclude_pk=None):
    """People already on file under this name (either order, any script) or this email."""
    conditions = [_same_form(f"{given_name} {family_name}"), _same_form(f"{family_name} {given_name}")]
    if native_name:
        conditions.append(_same_form(native_name))
    if email:
        conditions.append(Q(email__iexact=email.strip()))
    return Contact.objects.filter(reduce(or_, conditions)).exclude(pk=exclude_pk).order_by("family_name", "pk")


def organization_matches(*, name="", acronym="", native_name="", email="", country="", exclude_pk=None):
    """Organizations already on file under this name, own-script name, acronym (same country) or email."""
    conditions = [_same_form(name)]
    if native_name:
        conditions.append(_same_form(native_name))
    if len(acronym.strip()) >= 3:
        conditions.append(Q(acronym__iexact=acronym.strip(), country=country or ""))
    if email:
        conditions.append(Q(email__iexact=email.strip()))
    return Organization.objects.filter(reduce(or_, conditions)).exclude(pk=exclude_pk).order_by("name", "pk")


@dataclass(frozen=True)
class DuplicatePair:
    first: object
    second: object
    score: int
    reason: str


def _score_pairs(rows, block_keys, threshold):
    """rows: (pk, normalised name, email). Yields (pk_a, pk_b, score, reason) for likely pairs."""
    blocks = defaultdict(list)
    for index, row in enumerate(rows):
        for key in block_keys(row):
            blocks[key].append(index)
    seen = {}
    for members in blocks.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pair = (min(a, b), max(a, b))
                if pair in seen:
                    continue
                (pk_a, name_a, email_a), (pk_b, name_b, email_b) = rows[pair[0]], rows[pair[1]]
                if email_a and email_a == email_b:
                    seen[pair] = (100, "same email")
                    continue
                score = fuzz.token_sort_ratio(name_a, name_b, score_cutoff=threshold)
                if score:
                    seen[pair] = (round(score), "similar name")
    for (a, b), (score, reason) in seen.items():
        yield rows[a][0], rows[b][0], score, reason


def _pairs(model, rows, block_keys, threshold, limit):
    scored = sorted(_score_pairs(rows, block_keys, threshold), key=lambda p: (-p[2], p[0], p[1]))[:limit]
    records = model.objects.in_bulk({pk for pair in scored for pk in pair[:2]})
    return [DuplicatePair(records[a], records[b], score, reason) for a, b, score, reason in scored]


def _name_of(search_key: str) -> str:
    return search_key.split(" | ", 1)[0]


def _word_blocks(name: str, prefix=""):
    return {f"{prefix}{word[:3]}" for word in name.split() if len(word) >= 3}


def contact_duplicate_pairs(*, threshold=SIMILARITY_THRESHOLD, limit=200) -> list[DuplicatePair]:
    rows = [
        (pk, _name_of(key), (email or "").lower())
        for pk, key, email in Contact.objects.order_by("pk").values_list("pk", "search_key", "email")
    ]
    return _pairs(
        Contact, rows, lambda row: _word_blocks(row[1]) | ({f"@{row[2]}"} if row[2] else set()), threshold, limit
    )


def organization_duplicate_pairs(*, threshold=SIMILARITY_THRESHOLD, limit=200) -> list[DuplicatePair]:
    countries = {}
    rows = []
    for pk, key, email, country in Organization.objects.order_by("pk").values_list(
        "pk", "search_key", "email", "country"
    ):
        countries[pk] = country
        rows.append((pk, _name_of(key), (email or "").lower()))
    return _pairs(
        Organization,
        rows,
        lambda row: _word_blocks(row[1], prefix=f"{countries[row[0]]}:") | ({f"@{row[2]}"} if row[2] else set()),
        threshold,
        limit,
    )
