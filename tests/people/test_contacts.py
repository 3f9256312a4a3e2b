from auditor.models import CoreMetadata, Unknown
from auditor.people.contacts import contacts_from_metadata


def test_address_lists_and_plain_names():
    meta = CoreMetadata(
        "x", "1",
        author_email='"Gael V" <gael@x.org>, Bob <BOB@y.com>',
        maintainer="A and B, C",
    )
    got = [(c.name, c.email, c.field) for c in contacts_from_metadata(meta)]
    assert got == [
        ("Gael V", "gael@x.org", "Author-email"),
        ("Bob", "bob@y.com", "Author-email"),
        ("A", None, "Maintainer"),
        ("B", None, "Maintainer"),
        ("C", None, "Maintainer"),
    ]


def test_author_name_is_not_repeated_when_email_field_names_it():
    meta = CoreMetadata("x", "1", author="Jane Doe", author_email="Jane Doe <jane@example.org>")
    assert [(c.name, c.email) for c in contacts_from_metadata(meta)] == [("Jane Doe", "jane@example.org")]


def test_unknown_metadata_has_no_contacts():
    assert contacts_from_metadata(Unknown("x")) == ()


def test_long_values_are_truncated():
    meta = CoreMetadata("x", "1", author="A" * 5000)
    assert len(contacts_from_metadata(meta)[0].name) == 200
