"""The texts page: the findings about each section of 情况说明 (`disclosures.places`)."""

from django import template

register = template.Library()


@register.filter
def in_section(rows, pk) -> list:
    """The rows whose link selects words of the section `pk`; 0: about 情况说明 as a whole."""
    return [row for row in rows if row.target is not None and row.target.pk == (pk or 0)]
