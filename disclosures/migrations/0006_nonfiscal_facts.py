"""Spending and balances of money that is not an appropriation become 非财政拨款 (0007 then
requires it): no table tells them apart by income kind. Amounts that land on the same key add up.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import migrations

APPROPRIATIONS = ("general", "fund", "capital")


def to_nonfiscal(apps, schema_editor):
    Fact = apps.get_model("disclosures", "Fact")
    moved = Fact.objects.exclude(measure="income").exclude(
        source__in=APPROPRIATIONS, nature__in=("", "basic", "project")
    )
    totals: dict[tuple, Decimal] = defaultdict(Decimal)
    for fact in moved:
        totals[(fact.report_id, fact.measure, fact.code, fact.nature)] += fact.amount
    moved.delete()
    for (report_id, measure, code, nature), amount in totals.items():
        fact, created = Fact.objects.get_or_create(
            report_id=report_id,
            measure=measure,
            code=code,
            source="nonfiscal",
            nature=nature,
            defaults={"amount": amount},
        )
        if not created:
            fact.amount += amount
            fact.save(update_fields=["amount"])


class Migration(migrations.Migration):
    dependencies = [
        ("disclosures", "0005_report_profile_department_fields"),
    ]

    operations = [
        migrations.RunPython(to_nonfiscal, migrations.RunPython.noop),
    ]
