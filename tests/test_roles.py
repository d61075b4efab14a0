"""The Viewer, Editor and Manager groups come from a migration with exactly their permissions."""

from django.contrib.auth.models import Group, Permission

from relations.core.roles import EDITOR, MANAGER, VIEWER, ensure_roles
from tests.base import RelationsTestCase


def codenames(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


class RolesTests(RelationsTestCase):
    def test_the_migration_created_the_three_roles(self):
        self.assertEqual(set(Group.objects.values_list("name", flat=True)), {VIEWER, EDITOR, MANAGER})

    def test_viewer_reads_every_record_but_no_personal_details(self):
        perms = codenames(VIEWER)
        for perm in ("core.view_source", "contacts.view_contact", "contacts.view_organization",
                     "events.view_participation", "agreements.view_agreement", "agreements.view_historicalagreement"):
            self.assertIn(perm, perms)
        self.assertNotIn("contacts.view_contact_details", perms)
        # A person's earlier versions carry the same email, phone and notes.
        self.assertNotIn("contacts.view_historicalcontact", perms)
        self.assertFalse([p for p in perms if not p.split(".")[1].startswith("view_")])

    def test_editor_adds_and_changes_but_does_not_delete(self):
        perms = codenames(EDITOR)
        for perm in ("contacts.view_contact_details", "contacts.add_contact", "contacts.change_contact",
                     "agreements.change_historicalagreement", "contacts.view_historicalcontact"):
            self.assertIn(perm, perms)
        self.assertFalse([p for p in perms if ".delete_" in p])
        self.assertFalse([p for p in perms if p.startswith(("auth.", "authtoken.", "axes."))])

    def test_manager_also_deletes_and_manages_users(self):
        perms = codenames(MANAGER)
        self.assertLessEqual(codenames(EDITOR), perms)
        for perm in ("agreements.delete_agreement", "events.delete_event", "auth.add_user",
                     "auth.change_user", "auth.delete_group", "authtoken.add_token",
                     "axes.view_accessattempt", "axes.delete_accessattempt"):
            self.assertIn(perm, perms)

    def test_every_domain_permission_belongs_to_the_manager(self):
        domain = Permission.objects.filter(content_type__app_label__in=("core", "contacts", "events", "agreements"))
        self.assertEqual(set(domain) - set(Group.objects.get(name=MANAGER).permissions.all()), set())

    def test_ensure_roles_is_idempotent_and_repairs_a_changed_group(self):
        before = {name: codenames(name) for name in (VIEWER, EDITOR, MANAGER)}
        Group.objects.get(name=VIEWER).permissions.add(Permission.objects.get(codename="view_contact_details"))
        Group.objects.get(name=EDITOR).permissions.clear()
        ensure_roles()
        ensure_roles()
        self.assertEqual({name: codenames(name) for name in (VIEWER, EDITOR, MANAGER)}, before)
        self.assertEqual(Group.objects.count(), 3)

    def test_personas_hold_their_roles(self):
        self.assertTrue(self.viewer.has_perm("agreements.view_agreement"))
        self.assertFalse(self.viewer.has_perm("contacts.view_contact_details"))
        self.assertFalse(self.viewer.has_perm("agreements.change_agreement"))
        self.assertTrue(self.editor.has_perm("contacts.view_contact_details"))
        self.assertTrue(self.editor.has_perm("agreements.change_agreement"))
        self.assertFalse(self.editor.has_perm("agreements.delete_agreement"))
        self.assertTrue(self.manager.has_perm("agreements.delete_agreement"))
        self.assertTrue(self.manager.has_perm("auth.change_user"))
        self.assertFalse(self.outsider.has_perm("agreements.view_agreement"))
