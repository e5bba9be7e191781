"""The profile (概况) becomes each report's: new tables and links, filled by 0004."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("disclosures", "0002_templates_printed_figures"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='duty',
            name='duty_unique_number',
        ),
        migrations.RemoveConstraint(
            model_name='orgunit',
            name='orgunit_unique_name',
        ),
        migrations.AddField(
            model_name='duty',
            name='report',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='duties', to='disclosures.report', verbose_name='报告'),
        ),
        migrations.AddField(
            model_name='orgunit',
            name='report',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='org_units', to='disclosures.report', verbose_name='报告'),
        ),
        migrations.CreateModel(
            name='ReportProfile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('admin_quota', models.PositiveIntegerField(default=0, verbose_name='行政编制数')),
                ('service_quota', models.PositiveIntegerField(default=0, verbose_name='工勤编制数')),
                ('institution_quota', models.PositiveIntegerField(default=0, verbose_name='事业编制数')),
                ('actual_total', models.PositiveIntegerField(default=0, verbose_name='实有人数')),
                ('actual_admin', models.PositiveIntegerField(default=0, verbose_name='其中：行政在职')),
                ('actual_institution', models.PositiveIntegerField(default=0, verbose_name='其中：事业在职')),
                ('independent_accounting_units', models.PositiveIntegerField(default=1, verbose_name='独立核算单位数')),
                ('organisation', models.TextField(blank=True, help_text='报告“机构设置情况”一节的原文，如内设机构、编制和经费来源。', verbose_name='机构设置说明')),
                ('report', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='profile', to='disclosures.report', verbose_name='报告')),
            ],
            options={
                'verbose_name': '部门概况',
                'verbose_name_plural': '部门概况',
            },
        ),
    ]
