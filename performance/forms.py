from django import forms

from disclosures.models import Region

from .models import Evaluation


def region_path(region: Region) -> str:
    """省 / 市 / 县, from the top (the region's parents are selected with it)."""
    names = []
    while region is not None:
        names.append(region.name)
        region = region.parent
    return " / ".join(reversed(names))


class EvaluationFilterForm(forms.Form):
    """The public list's filters; every one optional."""

    region = forms.ModelChoiceField(
        label="地区", queryset=Region.objects.none(), required=False, empty_label="全部地区"
    )
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        label="类型", required=False, choices=[("", "全部类型"), *Evaluation.Kind.choices]
    )
    grade = forms.ChoiceField(
        label="绩效等级", required=False, choices=[("", "全部等级"), *Evaluation.Grade.choices]
    )
    q = forms.CharField(
        label="项目或部门名称",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "如：送温暖、总工会"}),
    )

    def __init__(self, *args, regions, years: list[int], **kwargs):
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        field.queryset = regions
        # Each region under its parents, in tree order: 山西省, 山西省 / 晋城市, …
        paths = sorted((region_path(r), r.pk) for r in regions.select_related("parent__parent"))
        field.choices = [("", "全部地区")] + [(pk, path) for path, pk in paths]
        self.fields["year"].choices = [("", "全部年度")] + [(y, f"{y}年") for y in years]
