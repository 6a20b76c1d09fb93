from django import template

from adcreator.web.labels import check_label, humanize

register = template.Library()


@register.filter
def label(value) -> str:
    """`{{ job.job_type|label }}`: the machine name as people read it (adcreator.web.labels)."""
    return humanize(value)


@register.filter(name="check_label")
def check_label_filter(code) -> str:
    """`{{ finding.code|check_label }}`: "V1 Product accuracy", "Text garbled"."""
    return check_label(code)
