from django.core.management.base import BaseCommand, CommandError

from disclosures.checks import ERROR, finding_line, findings_summary, rules_skipped
from disclosures.selectors import report_findings, report_get, report_template


class Command(BaseCommand):
    help = "审核一份部门决算报告：逐条列出发现的问题，最后一行为统计。"

    def add_arguments(self, parser):
        parser.add_argument("department_code", help="单位编码，如 021001")
        parser.add_argument("year", type=int, help="年度，如 2022")
        parser.add_argument(
            "--fail-on-error", action="store_true", help="有“错误”级问题时以非零状态退出。"
        )

    def handle(self, department_code: str, year: int, fail_on_error: bool = False, **options):
        report = report_get(department_code=department_code, year=year)
        if report is None:
            raise CommandError(f"找不到单位编码 {department_code} 的 {year} 年度决算报告。")
        template = report_template(report)
        findings = report_findings(report=report)
        for finding in findings:
            self.stdout.write(finding_line(finding))
        skipped = rules_skipped(template)
        if skipped:
            codes = "、".join(r.code for r in skipped)
            self.stdout.write(f"表样“{template.name}”不适用、已跳过的规则：{codes}")
        self.stdout.write(findings_summary(findings))
        if fail_on_error and any(f.severity == ERROR for f in findings):
            raise CommandError("审核未通过。")
