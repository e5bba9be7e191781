"""Each report takes the profile its department had; 0005 then drops the department's copy."""

from django.db import migrations


def profiles_per_report(apps, schema_editor):
    """Each report keeps the profile its department had: staffing, duties and units."""
    Department = apps.get_model("disclosures", "Department")
    Report = apps.get_model("disclosures", "Report")
    ReportProfile = apps.get_model("disclosures", "ReportProfile")
    Duty = apps.get_model("disclosures", "Duty")
    OrgUnit = apps.get_model("disclosures", "OrgUnit")
    staffing = (
        "admin_quota",
        "service_quota",
        "institution_quota",
        "actual_total",
        "actual_admin",
        "actual_institution",
        "independent_accounting_units",
    )
    for department in Department.objects.all():
        duties = list(Duty.objects.filter(department=department, report=None))
        units = list(OrgUnit.objects.filter(department=department, report=None))
        for report in Report.objects.filter(department=department):
            ReportProfile.objects.create(
                report=report, **{name: getattr(department, name) for name in staffing}
            )
            Duty.objects.bulk_create(
                Duty(department=department, report=report, number=d.number, text=d.text)
                for d in duties
            )
            OrgUnit.objects.bulk_create(
                OrgUnit(
                    department=department, report=report, kind=u.kind, name=u.name, order=u.order
                )
                for u in units
            )
    Duty.objects.filter(report=None).delete()
    OrgUnit.objects.filter(report=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("disclosures", "0003_report_profile"),
    ]

    operations = [
        migrations.RunPython(profiles_per_report, migrations.RunPython.noop),
    ]
