"""Departments, their yearly reports and the facts the ten tables are filled from.

Only the finest level is stored (DESIGN.md §4): 项-level functional facts by source and nature,
款-level economic facts, and a handful of scalar items. Every subtotal is derived by the engine.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from .display import local_text
from .tables import template_choices
from .vocab import VEHICLE_USES, CodeKind, CodeLevel, EconomicGroup, Measure, Nature, Source

MONEY = {"max_digits": 18, "decimal_places": 2}
ZERO = Decimal("0")

# ASCII digits only: `\d` would also take fullwidth and other scripts' digits (０２１００１).
digits_only = RegexValidator(r"^[0-9]+$", "编码只能由半角数字0-9组成。", code="code_not_digits")


class PublishedReportError(PermissionDenied):
    """A write to a published revision. A published revision never changes: a correction is a
    new revision (更正). A PermissionDenied, so a view that reaches it answers 403, not 500."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message or "已公开的报告不能修改。如需更正，请在报告页使用“更正”新建修订版。"
        )


def refuse_if_published(report_ids: Iterable[int | None]) -> None:
    """Raises PublishedReportError if any of the reports is published."""
    ids = {pk for pk in report_ids if pk is not None}
    if ids and Report.objects.filter(pk__in=ids, status=Report.Status.PUBLISHED).exists():
        raise PublishedReportError()


class ReportContentQuerySet(models.QuerySet):
    """Bulk writes that refuse to touch a published revision's rows: update(), delete() (and
    bulk_update(), which updates) and bulk_create()."""

    def _refuse_published(self) -> None:
        path = self.model.report_path
        if self.filter(**{f"{path}__status": Report.Status.PUBLISHED}).exists():
            raise PublishedReportError()

    def update(self, **kwargs):
        self._refuse_published()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_published()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        refuse_if_published(self.model.report_ids(objs))
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, *args, **kwargs):
        # Refused before Django's own atomic block (savepoint=False) starts, which an error
        # inside would leave unusable.
        objs = list(objs)
        refuse_if_published(self.model.report_ids(objs))
        return super().bulk_update(objs, *args, **kwargs)


class ReportContent(models.Model):
    """A row of a report's content (a fact, a text, a profile, an evaluation…): written only
    while its report is not published, by any path — save(), delete() or a bulk queryset call."""

    report_path = "report"  # the lookup from this model to its Report

    objects = ReportContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        refuse_if_published(type(self).report_ids([self]))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_published(type(self).report_ids([self]))
        return super().delete(*args, **kwargs)

    @classmethod
    def report_ids(cls, objs: Iterable[models.Model]) -> set[int]:
        return {obj.report_id for obj in objs}


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        COUNTY = "county", "县（区）"

    name = models.CharField("名称", max_length=64)
    level = models.CharField("级别", max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级地区",
    )
    synthetic = models.BooleanField(
        "合成数据", default=False, help_text="由 generate_synthetic 生成的测试数据，不是真实地区。"
    )

    class Meta:
        verbose_name = "地区"
        verbose_name_plural = "地区"
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="region_unique_name",
                violation_error_message="同一上级地区下已有同名地区。",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    class Nature(models.TextChoices):
        ADMINISTRATIVE = "行政单位", "行政单位"
        CIVIL_SERVANT_MANAGED = "参照公务员法管理事业单位", "参照公务员法管理事业单位"
        INSTITUTION = "事业单位", "事业单位"
        MASS_ORGANIZATION = "群众团体", "群众团体"
        OTHER = "其他", "其他"

    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="departments",
        verbose_name="地区",
    )
    code = models.CharField("单位编码", max_length=32, unique=True, validators=[digits_only])
    name = models.CharField("单位名称", max_length=128)
    supervisor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subordinates",
        verbose_name="主管部门",
    )
    nature = models.CharField("单位性质", max_length=32, choices=Nature.choices)
    synthetic = models.BooleanField(
        "合成数据", default=False, help_text="由 generate_synthetic 生成的测试数据，不是真实单位。"
    )

    class Meta:
        verbose_name = "部门（单位）"
        verbose_name_plural = "部门（单位）"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Duty(ReportContent):
    """A numbered duty (部门职责) as one year's report states it."""

    report = models.ForeignKey(
        "Report", on_delete=models.CASCADE, related_name="duties", verbose_name="报告"
    )
    number = models.PositiveSmallIntegerField("序号")
    text = models.TextField("职责")

    class Meta:
        verbose_name = "部门职责"
        verbose_name_plural = "部门职责"
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"],
                name="duty_unique_number_per_report",
                violation_error_message="该报告已有同一序号的职责。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}、{self.text[:20]}"


class OrgUnit(ReportContent):
    class Kind(models.TextChoices):
        INTERNAL = "internal", "内设机构"
        SUBORDINATE = "subordinate", "下属单位"

    report = models.ForeignKey(
        "Report", on_delete=models.CASCADE, related_name="org_units", verbose_name="报告"
    )
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    name = models.CharField("名称", max_length=128)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "内设机构与下属单位"
        ordering = ["report", "kind", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind", "name"],
                name="orgunit_unique_name_per_report",
                violation_error_message="该报告已有同名机构。",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ClassificationCode(models.Model):
    """One entry of a year's code list (政府收支分类科目)."""

    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("分类", max_length=16, choices=CodeKind.choices)
    code = models.CharField("科目编码", max_length=16, validators=[digits_only])
    name = models.CharField("科目名称", max_length=128)
    level = models.CharField("级次", max_length=2, choices=CodeLevel.choices)
    group = models.CharField(
        "经费类别", max_length=8, choices=EconomicGroup.choices, blank=True, default=""
    )
    basic_applicable = models.BooleanField(
        "适用基本支出",
        default=True,
        help_text="公开06表中“其中：基本支出”一栏是否适用。",
    )
    fund = models.BooleanField(
        "政府性基金预算科目",
        default=False,
        help_text="功能分类中政府性基金预算支出的科目（公开08表只能使用这些科目）。",
    )
    order = models.PositiveIntegerField("排序", default=0)
    synthetic = models.BooleanField(
        "合成数据", default=False, help_text="为合成数据的年度从相邻年度复制的科目表。"
    )
    # A year with no list of its own carries another year's forward until a system admin confirms
    # it (the mark is cleared) or imports the year's own list.
    carried_from = models.PositiveSmallIntegerField(
        "沿用自",
        null=True,
        blank=True,
        help_text="本年度尚无科目表时从该年度沿用而来，待系统管理员确认或导入；为空则是本年度的科目表。",
    )
    # A published page prints code names: an edit to the list is part of its cache stamp.
    updated_at = models.DateTimeField("更新时间", auto_now=True, null=True)

    class Meta:
        verbose_name = "分类科目"
        verbose_name_plural = "分类科目"
        ordering = ["year", "kind", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind", "code"],
                name="code_unique_per_year",
                violation_error_message="该年度的科目表中已有这个编码。",
            ),
            models.CheckConstraint(
                condition=(Q(level="类") & Q(code__regex=r"^[0-9]{3}$"))
                | (Q(level="款") & Q(code__regex=r"^[0-9]{5}$"))
                | (Q(level="项") & Q(code__regex=r"^[0-9]{7}$")),
                name="code_level_matches_length",
                violation_error_message="科目级次与编码长度不符：类3位、款5位、项7位。",
            ),
        ]
        indexes = [models.Index(fields=["year", "kind", "code"])]

    def __str__(self) -> str:
        return f"{self.year} {self.code} {self.name}"


class ReportQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if self.filter(status=Report.Status.PUBLISHED).exists():
            raise PublishedReportError()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=Report.Status.PUBLISHED).exists():
            raise PublishedReportError("已公开的报告不能删除。")
        return super().delete()

    def latest_published(self) -> "ReportQuerySet":
        """Published revisions that no later published revision of the same year replaces."""
        later = Report.objects.filter(
            department=models.OuterRef("department"),
            year=models.OuterRef("year"),
            status=Report.Status.PUBLISHED,
            revision__gt=models.OuterRef("revision"),
        )
        return self.filter(status=Report.Status.PUBLISHED).exclude(models.Exists(later))


class Report(models.Model):
    """One revision of a department's final accounts for one fiscal year.

    A year starts as revision 1. Publishing freezes the revision: nothing of it changes again
    (`ReportContent`, `ReportQuerySet`). A correction (更正) copies the published revision into a
    new draft, revision 2, which goes through the same review; the public permalink shows the
    latest published revision and every earlier one stays readable at its own address.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交"
        APPROVED = "approved", "已审核"
        PUBLISHED = "published", "已公开"

    class Unit(models.TextChoices):
        YUAN = "元", "元"
        WAN = "万元", "万元"

    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name="部门",
    )
    year = models.PositiveSmallIntegerField("年度")
    revision = models.PositiveSmallIntegerField(
        "修订版次", default=1, help_text="首次公开为第1版；每次更正新建下一版。"
    )
    template = models.CharField(
        "报表模板",
        max_length=32,
        choices=template_choices,
        blank=True,
        help_text="该报告公开的表样（各表及其编号）。留空则按地区和年度自动选择。",
    )
    unit = models.CharField("金额单位", max_length=4, choices=Unit.choices, default=Unit.YUAN)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Every staff write adds one: a form posted on an older version is refused (no lost update).
    version = models.PositiveIntegerField("内容版本", default=0, editable=False)
    check_errors = models.PositiveIntegerField("审核错误数", default=0, editable=False)
    check_warnings = models.PositiveIntegerField("审核警告数", default=0, editable=False)
    warning_notes = models.JSONField(
        "警告说明", default=dict, blank=True, editable=False, help_text="提交时对每条警告的说明。"
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True, editable=False)
    approved_at = models.DateTimeField("审核通过时间", null=True, blank=True, editable=False)
    returned_reason = models.TextField("退回原因", blank=True, editable=False)
    published_at = models.DateTimeField("公开时间", null=True, blank=True, editable=False)
    correction_reason = models.TextField("更正原因", blank=True, editable=False)
    # What this revision changed against the one it corrects, fixed when it is published:
    # [[place, old, new], ...] with the values as the tables print them.
    correction_changes = models.JSONField("更正内容", default=list, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "部门决算报告"
        verbose_name_plural = "部门决算报告"
        ordering = ["-year", "department__code", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "year", "revision"],
                name="report_unique_revision",
                violation_error_message="该部门这一年度的这一版报告已经存在。",
            ),
            models.UniqueConstraint(
                fields=["department", "year"],
                condition=~Q(status="published"),
                name="report_one_open_revision",
                violation_error_message="该部门这一年度已有一份未公开的报告（草稿或审核中）。",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="report_year_range",
                violation_error_message="年度应在2000至2100之间。",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="report_published_has_date",
                violation_error_message="已公开的报告须有公开时间。",
            ),
        ]
        indexes = [
            # The home page's latest publications, newest first.
            models.Index(
                F("year").desc(),
                F("published_at").desc(),
                F("id").desc(),
                name="report_latest_published",
                condition=Q(status="published"),
            ),
        ]

    def __str__(self) -> str:
        suffix = f"（第{self.revision}版）" if self.revision > 1 else ""
        return f"{self.department.name} {self.year}年度部门决算{suffix}"

    def save(self, *args, **kwargs):
        if self.pk is not None and self._stored_published():
            raise PublishedReportError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk is not None and self._stored_published():
            raise PublishedReportError("已公开的报告不能删除。")
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def _stored_published(self) -> bool:
        return Report.objects.filter(pk=self.pk, status=self.Status.PUBLISHED).exists()


class ReportProfile(ReportContent):
    """第一部分 概况 as one year's report states it: staffing and the 机构设置 text. Kept with the
    report (with its duties and units), so editing this year never changes a published year."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, related_name="profile", verbose_name="报告"
    )
    admin_quota = models.PositiveIntegerField("行政编制数", default=0)
    service_quota = models.PositiveIntegerField("工勤编制数", default=0)
    institution_quota = models.PositiveIntegerField("事业编制数", default=0)
    actual_total = models.PositiveIntegerField("实有人数", default=0)
    actual_admin = models.PositiveIntegerField("其中：行政在职", default=0)
    actual_institution = models.PositiveIntegerField("其中：事业在职", default=0)
    independent_accounting_units = models.PositiveIntegerField("独立核算单位数", default=1)
    organisation = models.TextField(
        "机构设置说明",
        blank=True,
        help_text="报告“机构设置情况”一节的原文，如内设机构、编制和经费来源。",
    )

    class Meta:
        verbose_name = "部门概况"
        verbose_name_plural = "部门概况"

    def __str__(self) -> str:
        return f"{self.report} 概况"


class Fact(ReportContent):
    """A functional-classification figure at 项 level: measure × source × nature."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="facts", verbose_name="报告"
    )
    measure = models.CharField("指标", max_length=16, choices=Measure.choices)
    code = models.CharField("功能分类科目编码", max_length=7, validators=[digits_only])
    source = models.CharField("资金来源", max_length=16, choices=Source.choices)
    nature = models.CharField(
        "支出性质", max_length=16, choices=Nature.choices, blank=True, default=""
    )
    amount = models.DecimalField("金额", **MONEY)

    class Meta:
        verbose_name = "功能分类数据"
        verbose_name_plural = "功能分类数据"
        ordering = ["report", "measure", "code", "source", "nature"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "measure", "code", "source", "nature"],
                name="fact_unique",
                violation_error_message="同一科目、资金来源和支出性质的数据已经存在。",
            ),
            # Income and spending are never negative; balances may be (an overspent carry-over).
            models.CheckConstraint(
                condition=Q(measure__in=["opening", "closing"]) | Q(amount__gte=0),
                name="fact_amount_not_negative",
                violation_error_message="收入和支出金额不能为负数。",
            ),
            # Income by its kind; spending and balances of non-appropriated money as 非财政拨款.
            models.CheckConstraint(
                condition=(Q(measure="income") & ~Q(source="nonfiscal"))
                | (
                    ~Q(measure="income") & Q(source__in=["general", "fund", "capital", "nonfiscal"])
                ),
                name="fact_source_fits_measure",
                violation_error_message=(
                    "收入按收入类别填写；支出和结转结余按一般公共预算、政府性基金、国有资本经营"
                    "或非财政拨款填写。"
                ),
            ),
            # An appropriation is spent as 基本支出 or 项目支出 only.
            models.CheckConstraint(
                condition=~Q(measure="expense")
                | Q(source="nonfiscal")
                | Q(nature__in=["basic", "project"]),
                name="fact_appropriation_nature",
                violation_error_message="财政拨款支出只能是基本支出或项目支出。",
            ),
            # Only spending has a nature.
            models.CheckConstraint(
                condition=(Q(measure="expense") & ~Q(nature=""))
                | (~Q(measure="expense") & Q(nature="")),
                name="fact_nature_only_for_expense",
                violation_error_message="支出数据须选择支出性质；收入和结转结余数据不填支出性质。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.measure}/{self.source}/{self.nature or '-'} {self.amount}"


class EconomicFact(ReportContent):
    """A general-budget appropriation spending figure at economic 款 level (公开06表)."""

    report = models.ForeignKey(
        Report,
        on_delete=models.CASCADE,
        related_name="economic_facts",
        verbose_name="报告",
    )
    code = models.CharField("经济分类科目编码", max_length=5, validators=[digits_only])
    nature = models.CharField("支出性质", max_length=16, choices=Nature.choices[1:3])
    amount = models.DecimalField("金额", **MONEY)

    class Meta:
        verbose_name = "经济分类数据"
        verbose_name_plural = "经济分类数据"
        ordering = ["report", "code", "nature"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "code", "nature"],
                name="econfact_unique",
                violation_error_message="同一经济分类科目和支出性质的数据已经存在。",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="econfact_amount_not_negative",
                violation_error_message="金额不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(nature__in=["basic", "project"]),
                name="econfact_nature_valid",
                violation_error_message="支出性质只能是基本支出或项目支出。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.nature} {self.amount}"


def _money(label: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(label, default=ZERO, **MONEY, **kwargs)


def _optional_money(label: str) -> models.DecimalField:
    return models.DecimalField(label, null=True, blank=True, **MONEY)


def _count(label: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, default=0)


# Scalar items that are money and must not be negative. 三公 items are nullable: blank means the
# department did not disclose it, which the checks tell apart from a disclosed zero.
THREE_PUBLIC_ITEMS = ("abroad", "vehicle_purchase", "vehicle_operation", "reception")
VEHICLE_LABELS = dict(VEHICLE_USES)


NON_NEGATIVE_FIGURES = (
    "use_of_non_appropriation_balance",
    *(f"tp_{kind}_{item}" for kind in ("budget", "actual") for item in THREE_PUBLIC_ITEMS),
    "procurement_goods",
    "procurement_works",
    "procurement_services",
    "procurement_sme",
    "procurement_micro",
    "admin_cost_admin_units",
    "admin_cost_civil_servant_institutions",
    "prior_year_total",
    "initial_budget",
    "personnel_initial_budget",
    "admin_cost_prior_year",
)


class ReportFigures(ReportContent):
    """The scalar items of a report: balances, 三公, procurement, 机关运行经费, assets."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, related_name="figures", verbose_name="报告"
    )
    use_of_non_appropriation_balance = _money("使用非财政拨款结余")
    balance_distribution = _money("结余分配")

    tp_budget_abroad = _optional_money("“三公”预算：因公出国（境）费")
    tp_budget_vehicle_purchase = _optional_money("“三公”预算：公务用车购置费")
    tp_budget_vehicle_operation = _optional_money("“三公”预算：公务用车运行维护费")
    tp_budget_reception = _optional_money("“三公”预算：公务接待费")
    tp_actual_abroad = _optional_money("“三公”决算：因公出国（境）费")
    tp_actual_vehicle_purchase = _optional_money("“三公”决算：公务用车购置费")
    tp_actual_vehicle_operation = _optional_money("“三公”决算：公务用车运行维护费")
    tp_actual_reception = _optional_money("“三公”决算：公务接待费")

    procurement_goods = _money("政府采购：货物")
    procurement_works = _money("政府采购：工程")
    procurement_services = _money("政府采购：服务")
    procurement_sme = _optional_money("政府采购：授予中小企业合同金额")
    procurement_micro = _optional_money("政府采购：其中授予小微企业合同金额")
    admin_cost_admin_units = _money("机关运行经费：行政单位")
    admin_cost_civil_servant_institutions = _money("机关运行经费：参照公务员法管理事业单位")

    vehicles_ministerial = _count(VEHICLE_LABELS["ministerial"])
    vehicles_leaders = _count(VEHICLE_LABELS["leaders"])
    vehicles_confidential = _count(VEHICLE_LABELS["confidential"])
    vehicles_emergency = _count(VEHICLE_LABELS["emergency"])
    vehicles_law_enforcement = _count(VEHICLE_LABELS["law_enforcement"])
    vehicles_special = _count(VEHICLE_LABELS["special"])
    vehicles_retirees = _count(VEHICLE_LABELS["retirees"])
    vehicles_other = _count(VEHICLE_LABELS["other"])
    equipment_over_1m = _count("单价100万元（含）以上设备（台、套）")

    # Comparatives stated in 情况说明 that the tables do not carry.
    prior_year_total = _optional_money("上年收支总计")
    initial_budget = _optional_money("年初预算数")
    personnel_initial_budget = _optional_money("人员经费年初预算数")
    admin_cost_prior_year = _optional_money("上年机关运行经费")

    class Meta:
        verbose_name = "报告单项数据"
        verbose_name_plural = "报告单项数据"
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{name}__gte": 0}) | Q(**{f"{name}__isnull": True}),
                name=f"figures_{name}_not_negative",
                violation_error_message="金额不能为负数。",
            )
            for name in NON_NEGATIVE_FIGURES
        ]

    def __str__(self) -> str:
        return f"{self.report} 单项数据"


class ReportSection(ReportContent):
    """A titled block of report text: 情况说明 or 名词解释."""

    class Part(models.TextChoices):
        EXPLANATION = "explanation", "第三部分 情况说明"
        GLOSSARY = "glossary", "第四部分 名词解释"

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="sections", verbose_name="报告"
    )
    part = models.CharField("部分", max_length=16, choices=Part.choices)
    order = models.PositiveSmallIntegerField("排序")
    heading = models.CharField("标题", max_length=200, blank=True)
    body = models.TextField("正文", blank=True)

    class Meta:
        verbose_name = "报告文字"
        verbose_name_plural = "报告文字"
        ordering = ["report", "part", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "part", "order"],
                name="section_unique",
                violation_error_message="该部分已有同一排序号的段落。",
            ),
        ]

    def __str__(self) -> str:
        return self.heading or f"{self.get_part_display()} {self.order}"


class ReportRow(ReportContent):
    """A 项 row staff added to a report's entry forms: it stays there, even before it holds an
    amount, and a new year based on this one starts with it."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="rows", verbose_name="报告"
    )
    code = models.CharField("功能分类科目编码", max_length=7, validators=[digits_only])

    class Meta:
        verbose_name = "填报科目行"
        verbose_name_plural = "填报科目行"
        ordering = ["report", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "code"],
                name="report_row_unique",
                violation_error_message="该报告已有这一科目行。",
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{7}$"),
                name="report_row_is_item",
                violation_error_message="科目行须为7位的“项”级功能分类科目。",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class PrintedCell(ReportContent):
    """A figure as a published document printed it, kept beside the facts it is derived from.

    A report imported from a published workbook, or back-filled from an earlier year's document,
    keeps every printed cell as received, in the report's unit: the public page shows it, and the
    checks compare it with the cell derived from the facts.
    """

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="printed_cells", verbose_name="报告"
    )
    table = models.CharField("表号", max_length=4, help_text="如 03 表示公开03表")
    row = models.CharField("行", max_length=64, help_text="科目编码，或总表的行标识")
    column = models.CharField("列", max_length=64)
    value = models.DecimalField("印制数", null=True, blank=True, help_text="空为印制空白", **MONEY)

    class Meta:
        verbose_name = "原报告印制数"
        verbose_name_plural = "原报告印制数"
        ordering = ["report", "table", "row", "column"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "table", "row", "column"],
                name="printed_cell_unique",
                violation_error_message="该报告这一单元格的印制数已经存在。",
            ),
        ]

    def __str__(self) -> str:
        return f"公开{self.table}表 {self.row}/{self.column} {self.value}"


class PrintedName(ReportContent):
    """The name a report prints for a code where it differs from the year's list (an older or a
    local name). The report keeps its own name; the checks say where the two differ."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="printed_names", verbose_name="报告"
    )
    kind = models.CharField("分类", max_length=16, choices=CodeKind.choices)
    code = models.CharField("科目编码", max_length=16, validators=[digits_only])
    name = models.CharField("报告中的科目名称", max_length=128)

    class Meta:
        verbose_name = "报告印制的科目名称"
        verbose_name_plural = "报告印制的科目名称"
        ordering = ["report", "kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind", "code"],
                name="printed_name_unique",
                violation_error_message="该报告已为这个科目编码填写了名称。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ImportBatch(models.Model):
    """An uploaded workbook, read and waiting for staff to confirm its preview. Nothing of it is
    in the report until then; confirming applies all of it or nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        APPLIED = "applied", "已导入"
        DISCARDED = "discarded", "已放弃"

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="imports", verbose_name="报告"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="上传人",
    )
    filename = models.CharField("文件名", max_length=255)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    unit = models.CharField("工作簿金额单位", max_length=4)
    as_printed = models.BooleanField("保留原表印制数", default=False)
    base = models.CharField("预览时报告的内容指纹", max_length=64)
    changes = models.JSONField("变动", default=list)  # [atom, label, old, new]
    problems = models.JSONField("问题", default=list)  # [place, message, code, severity]
    comparisons = models.JSONField("印制数与明细不符", default=list)
    names = models.JSONField("报告印制的科目名称", default=list)  # [kind, code, name]
    printed = models.JSONField("原表印制数", default=list)  # [table, row, column, value]

    class Meta:
        verbose_name = "Excel 导入"
        verbose_name_plural = "Excel 导入"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.report} {self.filename}"


class GlossaryEntry(models.Model):
    """The year's standard 名词解释, kept by a 系统管理员: every new report of that year starts
    from it (the same for every department in a year)."""

    year = models.PositiveSmallIntegerField("年度")
    order = models.PositiveSmallIntegerField("排序")
    heading = models.CharField("名词", max_length=200)
    body = models.TextField("解释")

    class Meta:
        verbose_name = "标准名词解释"
        verbose_name_plural = "标准名词解释"
        ordering = ["year", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "order"],
                name="glossary_entry_unique",
                violation_error_message="该年度已有同一排序号的名词解释。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.heading}"


class RenderedFile(models.Model):
    """A download rendered once and kept in storage until the report's content changes."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "Excel"
        CSV = "csv", "CSV"
        JSON = "json", "JSON"

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="rendered_files", verbose_name="报告"
    )
    format = models.CharField("格式", max_length=8, choices=Format.choices)
    table = models.CharField("表号", max_length=4, blank=True, help_text="空为整份报告")
    fingerprint = models.CharField("内容指纹", max_length=64)
    file = models.FileField("文件", upload_to="rendered/")
    size = models.PositiveIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    # The cheap stamp (disclosures.published) the file was last found current under: a request
    # with the same stamp is served from storage without filling the tables.
    stamp = models.CharField("缓存标记", max_length=64, blank=True)
    filename = models.CharField("下载文件名", max_length=255, blank=True)
    rendered_at = models.DateTimeField("生成时间", auto_now=True)

    class Meta:
        verbose_name = "已生成的下载文件"
        verbose_name_plural = "已生成的下载文件"
        ordering = ["report", "format", "table"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "format", "table"],
                name="rendered_file_unique",
                violation_error_message="该报告的这个文件已经存在。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.table or '全部'}.{self.format}"


class ChangeRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("变更记录不能修改。")

    def delete(self):
        raise PermissionDenied("变更记录不能删除。")


class ChangeRecord(models.Model):
    """One staff write to a report, or one step of its review: who, when, what — each cell or
    field as old → new. Appended only: nothing in the portal edits or deletes a record."""

    class Action(models.TextChoices):
        CREATE = "create", "新建"
        ENTRY = "entry", "填报"
        IMPORT = "import", "导入"
        PROFILE = "profile", "概况"
        TEXTS = "texts", "文字"
        ADMIN = "admin", "后台修改"
        SUBMIT = "submit", "提交"
        APPROVE = "approve", "审核通过"
        RETURN = "return", "退回"
        PUBLISH = "publish", "公开"
        CORRECT = "correct", "更正"

    report = models.ForeignKey(
        Report,
        on_delete=models.SET_NULL,
        null=True,
        related_name="records",
        verbose_name="报告",
    )
    report_label = models.CharField("报告", max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="用户",
    )
    username = models.CharField("用户名", max_length=150)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    summary = models.CharField("摘要", max_length=255)
    changes = models.JSONField("变动", default=list)  # [[place, old, new], ...]
    note = models.TextField("说明", blank=True)  # a return's or a correction's reason
    version = models.PositiveIntegerField("内容版本", default=0)

    objects = ChangeRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["report", "version"])]

    def __str__(self) -> str:
        return f"{local_text(self.at)} {self.username} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("变更记录不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("变更记录不能删除。")
