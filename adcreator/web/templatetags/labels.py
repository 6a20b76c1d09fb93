from django import template

from adcreator.web.labels import humanize

register = template.Library()


@register.filter
def label(value) -> str:
    """`{{ job.job_type|label }}`: the machine name as people read it (adcreator.web.labels)."""
    return humanize(value)
