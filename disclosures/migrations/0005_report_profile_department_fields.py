"""The department no longer carries a profile: duties, units and staffing are per report."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("disclosures", "0004_report_profile_copy"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='duty',
            options={'ordering': ['report', 'number'], 'verbose_name': '部门职责', 'verbose_name_plural': '部门职责'},
        ),
        migrations.AlterModelOptions(
            name='orgunit',
            options={'ordering': ['report', 'kind', 'order'], 'verbose_name': '机构', 'verbose_name_plural': '内设机构与下属单位'},
        ),
        migrations.RemoveField(
            model_name='department',
            name='actual_admin',
        ),
        migrations.RemoveField(
            model_name='department',
            name='actual_institution',
        ),
        migrations.RemoveField(
            model_name='department',
            name='actual_total',
        ),
        migrations.RemoveField(
            model_name='department',
            name='admin_quota',
        ),
        migrations.RemoveField(
            model_name='department',
            name='independent_accounting_units',
        ),
        migrations.RemoveField(
            model_name='department',
            name='institution_quota',
        ),
        migrations.RemoveField(
            model_name='department',
            name='service_quota',
        ),
        migrations.RemoveField(
            model_name='duty',
            name='department',
        ),
        migrations.RemoveField(
            model_name='orgunit',
            name='department',
        ),
        migrations.AlterField(
            model_name='duty',
            name='report',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='duties', to='disclosures.report', verbose_name='报告'),
        ),
        migrations.AlterField(
            model_name='orgunit',
            name='report',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='org_units', to='disclosures.report', verbose_name='报告'),
        ),
        migrations.AddConstraint(
            model_name='duty',
            constraint=models.UniqueConstraint(fields=('report', 'number'), name='duty_unique_number_per_report', violation_error_message='该报告已有同一序号的职责。'),
        ),
        migrations.AddConstraint(
            model_name='orgunit',
            constraint=models.UniqueConstraint(fields=('report', 'kind', 'name'), name='orgunit_unique_name_per_report', violation_error_message='该报告已有同名机构。'),
        ),
    ]
