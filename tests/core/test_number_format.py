"""Ids in URLs and attributes are never grouped; counts shown with |intcomma read 8.445."""

from django.template import Context, Template
from django.utils import translation


def test_plain_numbers_are_not_grouped_but_intcomma_is_vietnamese():
    template = Template("{% load humanize %}{{ n }} {{ n|intcomma }}")
    with translation.override("vi"):
        assert template.render(Context({"n": 8445})) == "8445 8.445"
    with translation.override("en"):
        assert template.render(Context({"n": 20463})) == "20463 20,463"
