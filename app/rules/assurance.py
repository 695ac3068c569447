"""Digital keys and levels of assurance (domain.md §5).

eID and itsme give the level high; the three keys with user name, password and a security code give
substantial. User name and password alone are a first factor, never a key.
"""

from __future__ import annotations

import enum


class Level(enum.IntEnum):
    NONE = 0
    LOW = 1
    SUBSTANTIAL = 2
    HIGH = 3


class DigitalKey(str, enum.Enum):
    EID = "eid"
    ITSME = "itsme"
    EMAIL_CODE = "code-email"
    MOBILE_APP = "application-mobile"
    TOKEN = "token"


KEY_LEVEL = {
    DigitalKey.EID: Level.HIGH,
    DigitalKey.ITSME: Level.HIGH,
    DigitalKey.EMAIL_CODE: Level.SUBSTANTIAL,
    DigitalKey.MOBILE_APP: Level.SUBSTANTIAL,
    DigitalKey.TOKEN: Level.SUBSTANTIAL,
}

# The authentication contexts of the federal authentication service (FAS), asked with acr_values.
ACR_VALUES = {
    DigitalKey.EID: "urn:be:fedict:iam:fas:Level500",
    DigitalKey.ITSME: "urn:be:fedict:iam:fas:Level450",
    DigitalKey.MOBILE_APP: "urn:be:fedict:iam:fas:Level400",
    DigitalKey.EMAIL_CODE: "urn:be:fedict:iam:fas:Level350",
}

# The order of the identification page (guide 004): keys with the eID or a digital identity first,
# then the keys with a security code, user name and password.
KEYS_WITH_EID = (DigitalKey.EID, DigitalKey.ITSME)
KEYS_WITH_SECURITY_CODE = (DigitalKey.EMAIL_CODE, DigitalKey.MOBILE_APP, DigitalKey.TOKEN)


def level_of(key: DigitalKey) -> Level:
    return KEY_LEVEL[key]


def qualifying_keys(minimum: Level) -> list[DigitalKey]:
    """The keys that open a service needing at least `minimum`, in the page's order."""
    return [key for key in (*KEYS_WITH_EID, *KEYS_WITH_SECURITY_CODE) if KEY_LEVEL[key] >= minimum]


def satisfies(current: Level, minimum: Level) -> bool:
    """Single sign-on: a session at this level opens every service needing this level or less."""
    return current >= minimum
