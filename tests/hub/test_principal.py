"""Who may act for which organisation: the rules of :class:`hub.principal.Principal`, and the
vocabulary of roles and organisation kinds spelled once for the rules, the schemas and the CLI."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError as SchemaError

from catalogue_schemas.organisation import CredentialInSchema, OrganisationInSchema
from hub.principal import ORG_KINDS, ROLES, OrgKind, Principal, Role


def principal(kind: str, *roles: str, org: str = "org_a") -> Principal:
    return Principal("k_1", org, kind, "An organisation", frozenset(roles))


def test_vocabulary_is_the_documented_one() -> None:
    # DESIGN.md, domain model: the kinds and roles clients and stored documents use.
    assert ORG_KINDS == ("provider", "institution", "department", "lms", "platform-admin")
    assert ROLES == ("publisher", "reviewer", "curator", "lrs-writer", "lrs-reader",
                     "lti-manager", "frac-reviewer", "frac-approver", "department-approver",
                     "coordinator", "admin")
    assert all(type(value) is str for value in ORG_KINDS + ROLES)


def test_schemas_accept_exactly_the_vocabulary() -> None:
    for kind in ORG_KINDS:
        assert OrganisationInSchema().load({"name": "N", "kind": kind})["kind"] == kind
    with pytest.raises(SchemaError):
        OrganisationInSchema().load({"name": "N", "kind": "ministry"})
    assert CredentialInSchema().load({"roles": list(ROLES)})["roles"] == list(ROLES)
    with pytest.raises(SchemaError):
        CredentialInSchema().load({"roles": ["owner"]})


def test_admin_acts_for_every_organisation_others_for_their_own() -> None:
    admin = principal(OrgKind.PLATFORM_ADMIN, Role.ADMIN)
    writer = principal(OrgKind.LMS, Role.LRS_WRITER)
    assert admin.acts_for("org_a") and admin.acts_for("org_b")
    assert admin.acts_for_every_organisation()
    assert writer.acts_for("org_a") and not writer.acts_for("org_b")
    assert not writer.acts_for_every_organisation()


def test_platform_admins_read_across_organisations() -> None:
    # DESIGN.md "Tenancy": a platform-admin organisation reads across, whatever its role.
    assert principal(OrgKind.PLATFORM_ADMIN, Role.LRS_READER).reads_across_organisations()
    assert principal(OrgKind.LMS, Role.ADMIN).reads_across_organisations()
    assert not principal(OrgKind.LMS, Role.LRS_READER, Role.LRS_WRITER) \
        .reads_across_organisations()


def test_a_role_held_in_an_organisation_is_not_held_in_another() -> None:
    # A provider's courses are changed by its own people: an admin elsewhere is not one.
    publisher = principal(OrgKind.PROVIDER, Role.PUBLISHER)
    admin = principal(OrgKind.PLATFORM_ADMIN, Role.ADMIN, org="org_admin")
    assert publisher.holds_in("org_a", Role.PUBLISHER)
    assert not publisher.holds_in("org_b", Role.PUBLISHER)
    assert not publisher.holds_in("org_a", Role.REVIEWER)
    assert not admin.holds_in("org_a", Role.PUBLISHER)
    assert admin.holds_in("org_admin", Role.PUBLISHER)


def test_kind() -> None:
    assert principal(OrgKind.PROVIDER).is_kind(OrgKind.PROVIDER, OrgKind.LMS)
    assert not principal(OrgKind.DEPARTMENT).is_kind(OrgKind.PROVIDER, OrgKind.LMS)
