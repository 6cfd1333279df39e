"""What the member services share: the short name for event kinds, and the check of a member's
record and party card numbers, used when a member is admitted and when the numbers are edited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dangbo.members.models import Member, MembershipEventKind

Kind = MembershipEventKind


def _validate_member_numbers(member: Member) -> None:
    errors: dict[str, list[str]] = {}
    if member.card_number_old and not (
        member.card_number_old.isdigit() and len(member.card_number_old) == 8
    ):
        errors["card_number_old"] = [_("The old party card number must have exactly 8 digits.")]
    if member.card_number and not (member.card_number.isdigit() and len(member.card_number) == 12):
        errors["card_number"] = [_("The new party card number must have exactly 12 digits.")]
    record = member.record_number.upper()
    if record:
        digits, letters = record[:6], record[6:]
        if not (
            digits.isdigit()
            and len(digits) == 6
            and letters.isalpha()
            and 1 <= len(letters) <= 3
            and letters.isascii()
        ):
            errors["record_number"] = [
                _(
                    "A member record number is 6 digits and a province code of 1–3 letters, "
                    "for example 123456HCM."
                )
            ]
        member.record_number = record
    if errors:
        raise ValidationError(errors)
