from django.core.management.base import BaseCommand

from adcreator.demo.seed import seed_demo


class Command(BaseCommand):
    help = "Create the demo organization, users, brand, catalog and template library (idempotent)."

    def handle(self, *args, **options):
        report = seed_demo()
        if report.created:
            created = ", ".join(f"{n} {what}" for what, n in sorted(report.created.items()))
            self.stdout.write(self.style.SUCCESS(f"Demo data created: {created}."))
        else:
            self.stdout.write("Demo data already present; nothing to do.")
        self.stdout.write("Demo logins (for local use only, never in production): "
                          "client demo / demo, staff admin / admin.")
