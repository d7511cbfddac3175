"""Password hashes and the login back-off."""

import hashlib

from cnpark.auth import backoff_seconds, hash_password, verify_password


def test_hash_is_salted_pbkdf2_and_verifies():
    encoded = hash_password("正确的密码123", salt=bytes(16), iterations=1000)
    algorithm, iterations, salt, digest = encoded.split("$")
    assert (algorithm, iterations, salt) == ("pbkdf2_sha256", "1000", "00" * 16)
    # the same derivation done by hand with the standard library
    assert digest == hashlib.pbkdf2_hmac("sha256", "正确的密码123".encode(), bytes(16), 1000).hex()
    assert verify_password("正确的密码123", encoded)
    assert not verify_password("错误的密码123", encoded)
    assert "正确的密码123" not in encoded


def test_fresh_salt_each_time():
    assert hash_password("same-password", iterations=1000) != hash_password("same-password", iterations=1000)


def test_malformed_hashes_match_nothing():
    for bad in ["", "plain-text-password", "md5$1$00$00", "pbkdf2_sha256$x$00$00", "pbkdf2_sha256$1000$zz$00",
                "pbkdf2_sha256$999999999$00$00", None]:
        assert not verify_password("anything", bad)


def test_backoff_grows_and_is_capped():
    assert [backoff_seconds(n) for n in range(0, 8)] == [0, 0, 0, 1, 2, 4, 8, 16]
    assert backoff_seconds(100) == 30


def test_an_account_entry_says_who_signs_in():
    from cnpark.auth import Account, account_of
    assert account_of("zhangsan", {"name": "张三"}) == Account("张三")                       # an analyst by default
    unit = account_of("zrzy", {"role": "unit", "unit": "县自然资源局"})
    assert unit == Account("县自然资源局", "unit", "县自然资源局") and unit.scope == unit.author == "县自然资源局"
    assert Account("张三").scope is None and Account("张三").author == "张三"
    assert account_of("x", {"role": "unit"}) is None                 # a unit's account names its unit
    assert account_of("x", {"role": "analyst", "unit": "县林草局"}) is None
    assert account_of("x", {"role": "admin"}) is None


def test_a_single_sign_on_name_is_the_office_a_unit_or_an_analyst():
    from cnpark.ui.uploads import _single_sign_on
    secrets = {"sso_units": {"lisi": "县自然资源局"}, "sso_reviewers": ["wangwu"]}
    office, unit, analyst = (_single_sign_on(n, secrets) for n in ("wangwu", "lisi", "zhangsan"))
    assert (office.role, office.scope, office.uploads) == ("reviewer", None, False)
    assert (unit.role, unit.unit, unit.author) == ("unit", "县自然资源局", "县自然资源局")
    assert analyst.role == "analyst" and analyst.unit == ""
    assert _single_sign_on("wangwu", {}).role == "analyst"          # listed nowhere: an analyst
