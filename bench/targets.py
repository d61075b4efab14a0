"""What the benchmark measures: every list (plain, filtered, searched, two page sizes) and every detail,
on the API and on the web pages, declared once. URL names follow the project's convention
(``<app>:<model>_list`` for pages, ``<app>-api:<model>-list`` for the API); a name that does not
resolve (a part not built yet) is reported as skipped, never guessed.
"""

from dataclasses import dataclass

API_PAGE_SIZES = (50, 200)
WEB_PAGE_SIZES = (25, 100)


@dataclass(frozen=True)
class Kind:
    name: str  # plural, as in the URLs
    model: str  # app_label.ModelName
    api_list: str
    api_detail: str
    web_list: str = ""
    web_detail: str = ""
    filter: str = ""  # a query string every database has rows for
    search: str = ""


KINDS = (
    Kind(
        "organizations", "contacts.Organization",
        api_list="contacts-api:organization-list", api_detail="contacts-api:organization-detail",
        web_list="contacts:organization_list", web_detail="contacts:organization_detail",
        filter="kind=national_society&region=europe", search="red crescent",
    ),
    Kind(
        "contacts", "contacts.Contact",
        api_list="contacts-api:contact-list", api_detail="contacts-api:contact-detail",
        web_list="contacts:contact_list", web_detail="contacts:contact_detail",
        filter="country=TM&position_status=current", search="al sada",
    ),
    Kind(
        "events", "events.Event",
        api_list="events-api:event-list", api_detail="events-api:event-detail",
        web_list="events:event_list", web_detail="events:event_detail",
        filter="kind=conference&top_level=true", search="meeting",
    ),
    Kind(
        "agreements", "agreements.Agreement",
        api_list="agreements-api:agreement-list", api_detail="agreements-api:agreement-detail",
        web_list="agreements:agreement_list", web_detail="agreements:agreement_detail",
        filter="status=active&kind=mou", search="cooperation",
    ),
    Kind("topics", "core.Topic", api_list="core-api:topic-list", api_detail="core-api:topic-detail"),
    Kind("sources", "core.Source", api_list="core-api:source-list", api_detail="core-api:source-detail"),
)

# The filtered lists the scale comparison (1,000 vs 20,000 contacts) times.
SCALE_TARGETS = ("api contacts filtered", "api contacts search", "web contacts filtered", "web contacts search")


def plan(reverse, first_pk) -> tuple[list[dict], list[str]]:
    """The targets as ``{"name", "kind" ("api"/"web"), "path"}``, and the names skipped (unresolved URLs).

    ``reverse(name, pk=None)`` returns a path or None; ``first_pk(model)`` the record a detail uses.
    """
    targets, skipped = [], []

    def add(name, kind, path):
        targets.append({"name": name, "kind": kind, "path": path})

    for k in KINDS:
        api_list = reverse(k.api_list)
        if api_list is None:
            skipped.append(f"api {k.name} (no URL {k.api_list})")
        else:
            for size in API_PAGE_SIZES:
                add(f"api {k.name} list {size}", "api", f"{api_list}?page_size={size}")
            if k.filter:
                add(f"api {k.name} filtered", "api", f"{api_list}?{k.filter}")
            if k.search:
                add(f"api {k.name} search", "api", f"{api_list}?search={k.search.replace(' ', '+')}")
            pk = first_pk(k.model)
            detail = reverse(k.api_detail, pk) if pk is not None else None
            if detail:
                add(f"api {k.name} detail", "api", detail)
        if not k.web_list:
            continue
        web_list = reverse(k.web_list)
        if web_list is None:
            skipped.append(f"web {k.name} (no URL {k.web_list})")
            continue
        for size in WEB_PAGE_SIZES:
            add(f"web {k.name} list {size}", "web", f"{web_list}?per_page={size}")
        if k.filter:
            add(f"web {k.name} filtered", "web", f"{web_list}?{k.filter}")
        if k.search:
            add(f"web {k.name} search", "web", f"{web_list}?search={k.search.replace(' ', '+')}")
        pk = first_pk(k.model)
        detail = reverse(k.web_detail, pk) if pk is not None else None
        if detail:
            add(f"web {k.name} detail", "web", detail)
    dashboard = reverse("dashboard")
    if dashboard is not None:
        add("web dashboard", "web", dashboard)
    return targets, skipped
