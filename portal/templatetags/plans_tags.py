"""Django template filters for the admin's templates (``{% load plans_tags %}``): 和暦 fiscal
years, as the public pages show them. The public pages are Jinja2 templates with their helpers
in ``portal.presenters`` (``portal/templating.py``)."""

from django import template

from ..presenters.plans import fiscal_year

register = template.Library()
register.filter("fiscal_year", fiscal_year)
