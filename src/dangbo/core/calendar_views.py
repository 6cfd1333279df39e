"""The working-day calendar page (/rules/calendar/): a year's public holidays (from the
``holidays`` package, read-only), the days administrators entered, and a deadline calculator;
adding and removing days for those who may change the rules."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from dangbo.core import services
from dangbo.core.calendar import WorkingDayCalendar, make_up_days, public_holidays
from dangbo.core.dates import today
from dangbo.core.forms import CalendarDayForm, DeadlineForm, apply_service_errors
from dangbo.core.models import CalendarDay
from dangbo.core.rule_views import RuleChangeMixin, RuleViewerMixin
from dangbo.core.selectors import get_calendar_day, list_calendar_days


def calendar_url(year: int | None = None) -> str:
    url = reverse("rules:calendar")
    return f"{url}?year={year}" if year else url


def _year(value: str | None, errors: list[str]) -> int:
    """The year asked for (this year when none, or when it cannot be read: then with a
    message)."""
    if not value:
        return today().year
    try:
        year = int(value.strip())
    except ValueError:
        year = 0
    if not services.CALENDAR_FIRST_YEAR <= year <= services.CALENDAR_LAST_YEAR:
        errors.append(
            _("Year: enter a year from %(first)s to %(last)s; showing this year.")
            % {"first": services.CALENDAR_FIRST_YEAR, "last": services.CALENDAR_LAST_YEAR}
        )
        return today().year
    return year


class CalendarView(RuleViewerMixin, View):
    """One year of the working-day calendar (the package's holidays and make-up days in date
    order, then the administrators' days), and the deadline calculator (``start`` + ``days``
    working days, from the query string)."""

    def get(self, request):
        errors: list[str] = []
        year = _year(request.GET.get("year"), errors)
        calendar = WorkingDayCalendar()
        calendar.load_years(year, year)
        entered = list(list_calendar_days(year=year))
        deadline = None
        if "start" in request.GET or "days" in request.GET:
            form = DeadlineForm(request.GET)
            if form.is_valid():
                start, days = form.cleaned_data["start"], form.cleaned_data["days"]
                deadline = calendar.add_working_days(start, days)
        else:
            form = DeadlineForm(initial={"start": today()})
        first_day, last_day = dt.date(year, 1, 1), dt.date(year, 12, 31)
        language = (get_language() or "vi")[:2]
        return render(
            request,
            "core/calendar.html",
            {
                "nav": "rules",
                "year": year,
                "previous_year": year - 1 if year > services.CALENDAR_FIRST_YEAR else None,
                "next_year": year + 1 if year < services.CALENDAR_LAST_YEAR else None,
                "holidays": sorted(
                    [(day, name, False) for day, name in public_holidays(year, language)]
                    + [(day, _("Make-up working day"), True) for day in make_up_days(year)]
                ),
                "entered": entered,
                "working_days": calendar.working_days_between(first_day, last_day)
                + calendar.is_working_day(first_day),
                "form": form,
                "deadline": deadline,
                "year_errors": errors,
                "can_change": services.can_change_rules(request.user),
                "show_as_of": False,
            },
        )


class CalendarDayCreateView(RuleChangeMixin, View):
    """Enter a day of the government's notice, through ``services.add_calendar_day``."""

    def _render(self, request, form, status=200):
        year = _year(request.GET.get("year"), [])
        return render(
            request,
            "core/calendar_day_form.html",
            {
                "nav": "rules",
                "form": form,
                "title": _("Add a day to the working-day calendar"),
                "submit": _("Add the day"),
                "cancel_url": calendar_url(year),
                "show_as_of": False,
            },
            status=status,
        )

    def get(self, request):
        return self._render(request, CalendarDayForm())

    def post(self, request):
        form = CalendarDayForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                day = services.add_calendar_day(
                    actor=request.user,
                    date=data["date"],
                    kind=data["kind"],
                    source_document=data["source_document"],
                    note=data["note"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("%(date)s is on the calendar: %(kind)s.")
                    % {"date": f"{day.date:%d/%m/%Y}", "kind": day.get_kind_display()},
                )
                return redirect(calendar_url(day.date.year))
        return self._render(request, form, status=400)


class CalendarDayDeleteView(RuleChangeMixin, View):
    """Remove an administrator's day after a confirmation page, through
    ``services.remove_calendar_day``."""

    def _render(self, request, day: CalendarDay, errors=(), status=200):
        return render(
            request,
            "core/calendar_day_confirm.html",
            {
                "nav": "rules",
                "title": _("Remove a day from the calendar"),
                "message": _(
                    "Remove %(date)s (%(kind)s, %(source)s) from the working-day calendar? "
                    "Deadlines counted across it will be counted again without it."
                )
                % {
                    "date": f"{day.date:%d/%m/%Y}",
                    "kind": day.get_kind_display(),
                    "source": day.source_document,
                },
                "submit": _("Remove the day"),
                "errors": list(errors),
                "cancel_url": calendar_url(day.date.year),
                "show_as_of": False,
            },
            status=status,
        )

    def get(self, request, pk):
        return self._render(request, get_calendar_day(pk=pk))

    def post(self, request, pk):
        day = get_calendar_day(pk=pk)
        try:
            services.remove_calendar_day(actor=request.user, day=day)
        except ValidationError as error:
            return self._render(request, day, errors=error.messages, status=400)
        messages.success(
            request,
            _("%(date)s was removed from the calendar.") % {"date": f"{day.date:%d/%m/%Y}"},
        )
        return redirect(calendar_url(day.date.year))
