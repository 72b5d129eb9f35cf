from django.core.management.base import BaseCommand

from onewindow.accounts.services import load_reference_data
from onewindow.core.calendar import load_holiday_schedules


class Command(BaseCommand):
    help = "Load departments, service centres and the working-day calendar (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        counts = load_reference_data()
        years = load_holiday_schedules()
        self.stdout.write(f"reference data: {counts}, calendar years: {years}")
