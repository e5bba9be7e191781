from django import forms


class SearchForm(forms.Form):
    q = forms.CharField(
        label="部门名称或编码",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "如：总工会、021001", "type": "search"}),
    )
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years: list[int], **kwargs):
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "全部年度")] + [(y, f"{y}年") for y in years]
