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
    # The cover (封面).
    project_unit = models.CharField("项目单位（实施单位）", max_length=128, blank=True)
    supervisor = models.CharField("主管部门", max_length=128, blank=True)
    dated = models.CharField("编制日期", max_length=32, blank=True, help_text="如“2022年12月”。")
    # 预算执行情况: the 合计 row; its 资金来源 rows are `Funding`.
    budget = models.DecimalField("全年预算数", **MONEY)
    executed = models.DecimalField("全年执行数", **MONEY)
    execution_rate = models.DecimalField(
        "执行率（印制）",
        null=True,
        blank=True,
        max_digits=7,
        decimal_places=2,
        help_text="自评表印制的执行率（%）；留空则由执行数/全年预算数计算。",
    )
    budget_execution_weight = models.DecimalField("预算执行率分值", default=10, **SCORE)
    budget_execution_score = models.DecimalField("预算执行率得分", null=True, blank=True, **SCORE)
    score = models.DecimalField("自评得分", **SCORE)
    grade = models.CharField("绩效等级", max_length=2, choices=Grade.choices, blank=True)
    # 一、项目基本信息
    overview = models.TextField("项目概况", blank=True)
    basis = models.TextField("立项依据", blank=True)
    necessity = models.TextField("项目设立的必要性", blank=True)
    safeguards = models.TextField("保证项目实施的措施与制度", blank=True)
    goal_period = models.TextField("实施期绩效目标", blank=True)
    goal_year = models.TextField("年度绩效目标", blank=True)
    plan = models.TextField("项目实施计划", blank=True)
    # 三、项目自评结果
    conclusion = models.TextField("自评得分和结论", blank=True)
    completion = models.TextField("全年目标实际完成情况", blank=True)
    execution_analysis = models.TextField("项目实施和预算执行情况分析", blank=True)
    output_analysis = models.TextField("产出情况及分析", blank=True)
    benefit_analysis = models.TextField("效益情况及分析", blank=True)
    satisfaction_analysis = models.TextField("满意度情况及分析", blank=True)
    # 四、五、六
    experience = models.TextField("主要经验做法", blank=True)
    problems = models.TextField("存在的主要问题及原因分析", blank=True)
    improvements = models.TextField("下一步改进措施及管理建议", blank=True)
    notes = models.TextField("其他说明", blank=True)

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

    @property
    def anchor(self) -> str:
        """The evaluation's place on the report page (stable across revisions)."""
        return f"evaluation-{self.kind}-{self.order}"

    @property
    def texts(self) -> list[tuple[str, str]]:
        """The evaluation's text fields as (heading, text), in the order the report prints them."""
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in TEXTS]


# The text parts of a self-evaluation, in printed order, and the part (一、… 六、) each sits in.
OUTLINE = (
    (
        "一、项目基本信息",
        ("overview", "basis", "necessity", "safeguards", "goal_period", "goal_year", "plan"),
    ),
    (
        "三、项目自评结果",
        (
            "conclusion",
            "completion",
            "execution_analysis",
            "output_analysis",
            "benefit_analysis",
            "satisfaction_analysis",
        ),
    ),
    ("四、项目主要经验做法", ("experience",)),
    ("五、项目管理中存在的主要问题及原因分析", ("problems",)),
    ("六、下一步改进措施及管理建议", ("improvements",)),
    ("其他说明", ("notes",)),
)
TEXTS = tuple(name for _, names in OUTLINE for name in names)


class EvaluationRowContent(ReportContent):
    """A row of a self-evaluation's table: it belongs to the report through its evaluation."""

    report_path = "evaluation__report"

    class Meta:
        abstract = True

    @classmethod
    def report_ids(cls, objs) -> set[int]:
        ids = {obj.evaluation_id for obj in objs}
        return set(Evaluation.objects.filter(pk__in=ids).values_list("report_id", flat=True))


class Funding(EvaluationRowContent):
    """One 资金来源 row of a self-evaluation's 预算执行情况 table."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="funding", verbose_name="绩效自评"
    )
    order = models.PositiveSmallIntegerField("排序")
    source = models.CharField("资金来源", max_length=64)
    initial_declared = models.DecimalField("年初预算数（目标申报）", null=True, blank=True, **MONEY)
    initial_budgeted = models.DecimalField("年初预算数（预算编制）", null=True, blank=True, **MONEY)
    budget = models.DecimalField("全年预算数", **MONEY)
    executed = models.DecimalField("全年执行数", **MONEY)

    class Meta:
        verbose_name = "资金来源"
        verbose_name_plural = "预算执行情况（资金来源）"
        ordering = ["evaluation", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "order"],
                name="funding_unique_order",
                violation_error_message="该绩效自评已有同一排序号的资金来源。",
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0) & Q(executed__gte=0),
                name="funding_money_positive",
                violation_error_message="预算数和执行数不能为负数。",
            ),
        ]

    def __str__(self) -> str:
        return self.source

    @property
    def balance(self):
        """资金结（转）余."""
        return self.budget - self.executed


class Indicator(EvaluationRowContent):
    """One row of a self-evaluation's indicator table (绩效指标完成情况)."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="indicators", verbose_name="绩效自评"
    )
    order = models.PositiveSmallIntegerField("排序")
    level1 = models.CharField("一级指标", max_length=32)
    level2 = models.CharField("二级指标", max_length=32)
    name = models.CharField("指标名称", max_length=128)
    initial_target = models.CharField(
        "年初指标值", max_length=128, blank=True, help_text="如“436”“全年”，照自评表印制。"
    )
    target = models.CharField(
        "调整后指标值",
        max_length=128,
        help_text="照印制填写：定量指标写运算符、数值和单位，如“＝436人”“≥90%”；定性指标写文字。",
    )
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


# Every field a renderer prints, per model: what a correction lists and a stored file's fingerprint
# covers.
EVALUATION_PRINTED = (
    "kind",
    "name",
    "project_unit",
    "supervisor",
    "dated",
    "budget",
    "executed",
    "execution_rate",
    "budget_execution_weight",
    "budget_execution_score",
    "score",
    "grade",
    *TEXTS,
)
FUNDING_PRINTED = ("source", "initial_declared", "initial_budgeted", "budget", "executed")
INDICATOR_PRINTED = (
    "level1",
    "level2",
    "name",
    "initial_target",
    "target",
    "actual",
    "weight",
    "score",
    "deviation_note",
)

# The columns of a self-evaluation's two tables as the workbook prints them and its import reads
# them back (the page and the PDF print the same labels).
FUNDING_COLUMNS = (
    ("source", "资金来源"),
    ("initial_declared", "年初预算数（目标申报）"),
    ("initial_budgeted", "年初预算数（预算编制）"),
    ("budget", "全年预算数"),
    ("executed", "全年执行数"),
    ("balance", "资金结（转）余"),
    ("execution_rate", "执行率"),
    ("weight", "分值"),
    ("score", "得分"),
)
INDICATOR_COLUMNS = (
    ("level1", "一级指标"),
    ("level2", "二级指标"),
    ("name", "指标名称"),
    ("initial_target", "年初指标值"),
    ("target", "调整后指标值"),
    ("actual", "实际完成值"),
    ("weight", "权重"),
    ("score", "得分"),
    ("deviation_note", "偏差原因分析及改进措施"),
)
# The cover and result lines of the workbook's evaluation sheet: label, field.
EVALUATION_COVER = (
    ("项目名称", "name"),
    ("主管部门", "supervisor"),
    ("实施单位", "project_unit"),
    ("编制日期", "dated"),
    ("自评得分", "score"),
    ("绩效等级", "grade"),
)
FUNDING_TITLE = "预算执行情况"
INDICATOR_TITLE = "绩效指标完成情况"
