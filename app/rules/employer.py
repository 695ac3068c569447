"""The employer's part of a request (guide 001, domain.md §1, §2, §7): pure rules.

What the personnel officer types is checked here, as small values the service turns into messages
in the user's language: why a NISS is not valid (each reason apart, so that the message can say what
to fix), the format of a joint committee's code, which kinds of leave and which worker statuses the
employer's sector has, whether the Dimona personnel file may be offered, and the written notice the
worker owes the employer.
"""

from __future__ import annotations

import datetime
import enum
import re

from stdnum.be import nn, ssn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.util import clean

from app.rules.careerbreak import THEMATIC_LEAVES, LeaveKind, Sex, add_months

# ---------------------------------------------------------------------------------------------------
# The worker's NISS (domain.md §1)


class NissProblem(str, enum.Enum):
    """Why a typed NISS is not a valid national register or BIS number, one reason each."""

    EMPTY = "vide"
    FORMAT = "format"  # something else than digits, spaces, dots and dashes
    LENGTH = "longueur"  # not 11 digits
    CHECK_DIGITS = "chiffres-de-controle"  # the last two digits do not match the first nine
    FUTURE_BIRTH_YEAR = "annee-future"  # the check only fits a birth in 20YY, a year still to come
    MONTH = "mois"  # the month is not 01-12 (nor 00, unknown)
    BIS_MONTH = "mois-bis"  # a BIS number (month + 20 or + 40) whose month is out of range


def _check_matches(digits: str, *, born_in_2000s: bool) -> bool:
    """[S1][S4]: 97 − (first nine digits mod 97); for a birth from 2000, a 2 is put in front."""
    base = int(("2" if born_in_2000s else "") + digits[:9])
    return 97 - base % 97 == int(digits[9:])


def niss_problem(value: str, today: datetime.date) -> NissProblem | None:
    """None when `value` is a valid NISS (national register or BIS number), else why not.

    python-stdnum decides; its reasons are told apart further, because "the check digits are wrong"
    and "this number belongs to someone born in a year to come" call for different corrections.
    """
    typed = clean(value or "", " -.").strip()
    if not typed:
        return NissProblem.EMPTY
    if not (typed.isascii() and typed.isdigit()):
        return NissProblem.FORMAT
    if len(typed) != 11:
        return NissProblem.LENGTH
    try:
        ssn.validate(typed)
    except InvalidChecksum:
        if (_check_matches(typed, born_in_2000s=True)
                and 2000 + int(typed[:2]) > today.year):
            return NissProblem.FUTURE_BIRTH_YEAR
        return NissProblem.CHECK_DIGITS
    except InvalidComponent:
        return NissProblem.BIS_MONTH if int(typed[2:4]) >= 20 else NissProblem.MONTH
    except (InvalidFormat, InvalidLength):  # "00000000000": digits, but not a number
        return NissProblem.FORMAT
    return None


def compact(value: str) -> str:
    """The 11 digits of a NISS as typed (spaces, dots and dashes removed); check it first."""
    return clean(value or "", " -.").strip()


def birth_date_of(niss: str) -> datetime.date | None:
    """The birth date a valid NISS encodes, or None when it was not known when the number was issued."""
    try:
        return ssn.get_birth_date(niss)
    except ValueError:  # a day that does not exist in that month: unknown
        return None


def sex_of(niss: str) -> Sex | None:
    """[S1]: odd sequence number for men, even for women; a BIS number tells only from month + 40."""
    if int(niss[2:4]) >= 20 and int(niss[2:4]) < 40:
        return None
    return Sex.MALE if nn.get_gender(niss) == "M" else Sex.FEMALE


# ---------------------------------------------------------------------------------------------------
# The joint committee (domain.md §7.1)

COMMISSION_PARITAIRE_FORMAT = re.compile(r"^\d{3}(\.\d{2})?$", re.ASCII)  # not other scripts' digits


def is_commission_paritaire_code(code: str) -> bool:
    """Three digits, optionally a sub-committee: `200`, `140.03` [S66][S67]."""
    return bool(COMMISSION_PARITAIRE_FORMAT.fullmatch(code or ""))


# ---------------------------------------------------------------------------------------------------
# The sector: kinds of leave and the worker's status


class WorkerStatus(str, enum.Enum):
    """The worker's status (domain.md §3: manual, white-collar, contract, statutory)."""

    MANUAL = "ouvrier"
    WHITE_COLLAR = "employe"
    CONTRACT_STAFF = "contractuel"
    STATUTORY = "statutaire"


PRIVATE_SECTOR_STATUSES = (WorkerStatus.MANUAL, WorkerStatus.WHITE_COLLAR)
# [S21]: the public sector's career break is for contract staff and statutory staff.
PUBLIC_SECTOR_STATUSES = (WorkerStatus.CONTRACT_STAFF, WorkerStatus.STATUTORY)


def statuses_for(public_sector: bool) -> tuple[WorkerStatus, ...]:
    """A private employer's workers are manual or white-collar workers under contract; a public
    employer's are contract staff or statutory staff."""
    return PUBLIC_SECTOR_STATUSES if public_sector else PRIVATE_SECTOR_STATUSES


# [S28b]: the four thematic leaves exist in every sector; the general regime is the time credit with
# motive in the private sector and the ordinary career break in the public sector; the end-of-career
# time credit is the private sector's [S19][S20]. The time credit without motive was abolished in 2017
# [S13b]: it is never requested any more.
PRIVATE_SECTOR_KINDS = (*THEMATIC_LEAVES, LeaveKind.TIME_CREDIT_CARE, LeaveKind.TIME_CREDIT_TRAINING,
                        LeaveKind.END_OF_CAREER)
PUBLIC_SECTOR_KINDS = (*THEMATIC_LEAVES, LeaveKind.PUBLIC_SECTOR_CAREER_BREAK)


def kinds_for(public_sector: bool) -> tuple[LeaveKind, ...]:
    return PUBLIC_SECTOR_KINDS if public_sector else PRIVATE_SECTOR_KINDS


# ---------------------------------------------------------------------------------------------------
# The Dimona personnel file (domain.md §7.2)

DIMONA_PICK_LIMIT = 100  # guide 001: "uniquement si moins de 100 travailleurs sous contrat"


def may_pick_from_dimona(workers_under_contract: int | None) -> bool:
    """The worker may be picked from the Dimona file only in an enterprise of fewer than 100 workers
    under contract; when the headcount is not known, the NISS is typed."""
    return workers_under_contract is not None and workers_under_contract < DIMONA_PICK_LIMIT


# ---------------------------------------------------------------------------------------------------
# The written notice (domain.md §2.2, "Written notice to the employer")

SMALL_ENTERPRISE_HEADCOUNT = 20
NOTICE_MONTHS_LARGE = 3  # more than 20 workers [S22][S22b]
NOTICE_MONTHS_SMALL = 6  # 20 workers or fewer
NOTICE_MONTHS_PUBLIC_SECTOR = 2  # [S21]: the request is made 2 months ahead


def notice_months(*, public_sector: bool, workers_under_contract: int | None) -> int | None:
    """How many months before the start the worker must give written notice; None when the
    headcount the rule depends on is not known."""
    if public_sector:
        return NOTICE_MONTHS_PUBLIC_SECTOR
    if workers_under_contract is None:
        return None
    return NOTICE_MONTHS_LARGE if workers_under_contract > SMALL_ENTERPRISE_HEADCOUNT else NOTICE_MONTHS_SMALL


def latest_notice_date(start: datetime.date, months: int) -> datetime.date:
    """The last day the notice could be given for a leave starting on `start`."""
    return add_months(start, -months)


def notice_is_late(notice: datetime.date, start: datetime.date, months: int | None) -> bool:
    """A notice given later than `months` before the start: a warning, not a refusal (the employer
    may accept a shorter notice)."""
    return months is not None and notice > latest_notice_date(start, months)
