import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create (or reset) the demo login for a development machine and print its credentials."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", help="Use this password instead of a freshly generated one.")

    def handle(self, *args, username, password, **options):
        password = password or secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        user.is_staff = True
        user.is_superuser = True
        user.is_active = True
        user.set_password(password)
        user.save()
        verb = "Created" if created else "Reset"
        self.stdout.write(self.style.SUCCESS(f"{verb} the demo login (development only):"))
        self.stdout.write(f"    username: {username}")
        self.stdout.write(f"    password: {password}")
