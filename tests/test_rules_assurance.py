from app.rules.assurance import DigitalKey, Level, level_of, qualifying_keys, satisfies


def test_eid_and_itsme_are_high_and_the_security_code_keys_substantial():
    assert level_of(DigitalKey.EID) is Level.HIGH
    assert level_of(DigitalKey.ITSME) is Level.HIGH
    for key in (DigitalKey.EMAIL_CODE, DigitalKey.MOBILE_APP, DigitalKey.TOKEN):
        assert level_of(key) is Level.SUBSTANTIAL


def test_a_service_needing_high_is_opened_only_by_eid_and_itsme():
    assert qualifying_keys(Level.HIGH) == [DigitalKey.EID, DigitalKey.ITSME]
    assert len(qualifying_keys(Level.SUBSTANTIAL)) == 5


def test_single_sign_on_opens_the_same_or_a_lower_level():
    assert satisfies(Level.HIGH, Level.SUBSTANTIAL)
    assert satisfies(Level.SUBSTANTIAL, Level.SUBSTANTIAL)
    assert not satisfies(Level.SUBSTANTIAL, Level.HIGH)
    assert not satisfies(Level.NONE, Level.LOW)
