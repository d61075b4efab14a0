"""What the benchmark measures: every list (plain, filtered, searched, two page sizes) and every detail,
on the API and on the web pages, declared once. URL names follow the project's convention
(``<app>:<model>_list`` for pages, ``<app>-api:<model>-list`` for the API); a name that does not
resolve (a part not built yet) is reported as skipped, never guessed.
"""

from dataclasses import dataclass
from pathlib import Path

ARTICLE = Path(__file__).resolve().parent.parent / "fixtures" / "article.json"
API_PAGE_SIZES = (50, 200)
WEB_PAGE_SIZES = (25, 100)


@dataclass(frozen=True)
class Kind:
    """One kind of record; its URL names follow the project's convention from ``model``."""

    name: str  # plural, as in the URLs
    model: str  # app_label.ModelName
    web: bool = True  # has web pages
    filter: str = ""  # a query string every database has rows for
    search: str = ""

    def url_name(self, api: bool, suffix: str) -> str:
        app, model = self.model.lower().split(".")
        return f"{app}-api:{model}-{suffix}" if api else f"{app}:{model}_{suffix}"


KINDS = (
    Kind("organizations", "contacts.Organization", filter="kind=national_society&region=europe", search="red crescent"),
    Kind("contacts", "contacts.Contact", filter="country=TM&position_status=current", search="al sada"),
    Kind("events", "events.Event", filter="kind=conference&top_level=true", search="meeting"),
    Kind("agreements", "agreements.Agreement", filter="status=active&kind=mou", search="cooperation"),
    Kind("topics", "core.Topic", web=False),
    Kind("sources", "core.Source", web=False),
)

# The filtered lists the scale comparison (1,000 vs 20,000 contacts) times.
SCALE_TARGETS = ("api contacts organization", "web contacts organization",
                 "api contacts filtered", "api contacts filtered 8", "api contacts search",
                 "web contacts filtered", "web contacts search",
                 "api contacts current", "web contacts current")
# Scale-only variants: (the target whose path they reuse, their query string; ``{organization}`` is
# ``scale_organization()``, which bench.prepare reports). "organization" is the people in post at
# one of the article's organizations, which generate_data leaves alone: the same list, row for row, at
# both sizes, so its ratio is what the larger tables alone cost (a scan would show here). "filtered"
# (country=TM&position_status=current) matches 8 people of 1,011 and 419 of 20,011, so its small page
# has 8 rows and its large one a full page: part of its ratio is the 42 more rows built and sent.
# "filtered 8" is the same API list with pages of 8 rows, as many on both sizes (web pages have 25 at
# least): what is left of its ratio is what the larger tables cost (finding and counting the matches).
# "current" (everyone in post: 871 and 17,074) fills the page at both sizes and its count grows 20
# times with the data.
SCALE_VARIANTS = {
    "api contacts organization": ("api contacts filtered", "organization={organization}&position_status=current"),
    "web contacts organization": ("web contacts filtered", "organization={organization}&position_status=current"),
    "api contacts filtered 8": ("api contacts filtered", "country=TM&position_status=current&page_size=8"),
    "api contacts current": ("api contacts filtered", "position_status=current"),
    "web contacts current": ("web contacts filtered", "position_status=current"),
}


def plan(reverse, first_pk) -> tuple[list[dict], list[str]]:
    """The targets as ``{"name", "kind" ("api"/"web"), "path"}``, and the names skipped (unresolved URLs).

    ``reverse(name, pk=None)`` returns a path or None; ``first_pk(model)`` the record a detail uses.
    """
    targets, skipped = [], []
    sides = (("api", API_PAGE_SIZES, "page_size"), ("web", WEB_PAGE_SIZES, "per_page"))
    for k in KINDS:
        for side, sizes, size_parameter in sides:
            if side == "web" and not k.web:
                continue
            list_name = k.url_name(side == "api", "list")
            path = reverse(list_name)
            if path is None:
                skipped.append(f"{side} {k.name} (no URL {list_name})")
                continue
            queries = [(f"list {size}", f"{size_parameter}={size}") for size in sizes]
            if k.filter:
                queries.append(("filtered", k.filter))
            if k.search:
                queries.append(("search", "search=" + k.search.replace(" ", "+")))
            targets += [{"name": f"{side} {k.name} {label}", "kind": side, "path": f"{path}?{query}"}
                        for label, query in queries]
            pk = first_pk(k.model)
            detail = reverse(k.url_name(side == "api", "detail"), pk) if pk is not None else None
            if detail:
                targets.append({"name": f"{side} {k.name} detail", "kind": side, "path": detail})
    dashboard = reverse("dashboard")
    if dashboard is not None:
        targets.append({"name": "web dashboard", "kind": "web", "path": dashboard})
    return targets, skipped


def scale_organization(fixture_path=ARTICLE) -> int | None:
    """The pk of the article's organization with the most people (the scale's "organization" list).

    generate_data gives its people positions only at the organizations it makes, so this list holds
    the same rows whatever was generated. Runs inside Django (bench.prepare, the tests).
    """
    import json

    from django.db.models import Count

    from relations.contacts.models import Organization

    with open(fixture_path, encoding="utf-8") as fixture:
        uuids = [row["fields"]["uuid"] for row in json.load(fixture) if row["model"] == "contacts.organization"]
    return (
        Organization.objects.filter(uuid__in=uuids)
        .annotate(people=Count("positions__contact", distinct=True))
        .order_by("-people", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def scale_targets(targets: list[dict], organization) -> list[dict]:
    """The SCALE_TARGETS among ``targets`` (plan()'s), the variants built on their base's path."""
    by_name = {t["name"]: t for t in targets}
    chosen = []
    for name in SCALE_TARGETS:
        if name in SCALE_VARIANTS:
            base_name, query = SCALE_VARIANTS[name]
            base = by_name.get(base_name)
            if base is None or ("{organization}" in query and organization is None):
                continue
            path = base["path"].split("?")[0] + "?" + query.format(organization=organization)
            chosen.append({**base, "name": name, "path": path})
        elif name in by_name:
            chosen.append(by_name[name])
    return chosen
