"""Performance self-evaluations (绩效自评) published as the report's 附件."""

from django.db import models
from django.db.models import Q

from disclosures.models import ReportContent

MONEY = {"max_digits": 18, "decimal_places": 2}
SCORE = {"max_digits": 6, "decimal_places": 2}


class Evaluation(ReportContent):
    """A project's self-evaluation, or the department's overall (整体支出) one."""

    class Kind(models.TextChoices):
        PROJECT = "project", "项目支出绩效自评"
        DEPARTMENT = "department", "部门整体支出绩效自评"

    class Grade(models.TextChoices):
        EXCELLENT = "优", "优"
        GOOD = "良", "良"
        FAIR = "中", "中"
        POOR = "差", "差"

    report = models.ForeignKey(
        "disclosures.Report",
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name="报告",
    )
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    order = models.PositiveSmallIntegerField("排序", default=0)
    name = models.CharField("项目名称", max_length=128)
    budget = models.DecimalField("全年预算数", **MONEY)
    executed = models.DecimalField("全年执行数", **MONEY)
    budget_execution_weight = models.DecimalField("预算执行率权重", default=10, **SCORE)
    budget_execution_score = models.DecimalField("预算执行率得分", null=True, blank=True, **SCORE)
    score = models.DecimalField("自评得分", **SCORE)
    grade = models.CharField("绩效等级", max_length=2, choices=Grade.choices, blank=True)
    content = models.TextField(
        "自评报告正文", blank=True, help_text="项目概况、绩效目标、完成情况、问题与改进措施等。"
    )

    class Meta:
        verbose_name = "绩效自评"
        verbose_name_plural = "绩效自评"
        ordering = ["report", "kind", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind", "name"],
                name="evaluation_unique",
                violation_error_message="该报告已有同名的绩效自评。",
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0) & Q(executed__gte=0),
                name="evaluation_money_positive",
                violation_error_message="预算数和执行数不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100),
                name="evaluation_score_range",
                violation_error_message="自评得分应在0至100分之间。",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(ReportContent):
    """One row of a self-evaluation's indicator table (绩效指标完成情况)."""

    report_path = "evaluation__report"

    @classmethod
    def report_ids(cls, objs) -> set[int]:
        ids = {obj.evaluation_id for obj in objs}
        return set(Evaluation.objects.filter(pk__in=ids).values_list("report_id", flat=True))

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="indicators", verbose_name="绩效自评"
    )
    order = models.PositiveSmallIntegerField("排序")
    level1 = models.CharField("一级指标", max_length=32)
    level2 = models.CharField("二级指标", max_length=32)
    name = models.CharField("指标名称", max_length=128)
    target = models.CharField("年度指标值", max_length=128)
    actual = models.CharField("实际完成值", max_length=128)
    weight = models.DecimalField("权重", **SCORE)
    score = models.DecimalField("得分", **SCORE)
    deviation_note = models.CharField("偏差原因分析及改进措施", max_length=255, blank=True)

    class Meta:
        verbose_name = "绩效指标"
        verbose_name_plural = "绩效指标"
        ordering = ["evaluation", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "order"],
                name="indicator_unique_order",
                violation_error_message="该绩效自评已有同一排序号的指标。",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(score__gte=0),
                name="indicator_not_negative",
                violation_error_message="权重和得分不能为负数。",
            ),
        ]

    def __str__(self) -> str:
        return self.name
