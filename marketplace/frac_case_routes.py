"""HTTP routes of the CASE 1.1 service and of FRAC imports.

- ``case`` (``/ims/case/v1p1``, public, read-only; CASE 1.1 §5): ``CFDocuments`` (the latest
  version of every framework), ``CFDocuments/{id}``, ``CFPackages/{id}`` and ``CFItems/{id}``,
  ``?version=N`` for an older published version. A miss is the hub's problem+json 404 carrying
  CASE's ``imsx_StatusInfo`` members (§6.14: ``unknownobject`` or ``invalid_uuid``) as RFC 9457
  extension members, so both kinds of client read it; bad query arguments are the usual 400.
- ``frac_imports`` (``POST /frac/imports``, curator or admin): import a CFPackage
  (:mod:`marketplace.frac_case_import`); a bad package is a 400 whose ``item_errors`` lists
  ``{item, field, message}`` and nothing is stored.
"""

from __future__ import annotations

from typing import Any, NoReturn

import orjson
from flask import Response, request

from catalogue_schemas.frac_case import (
    CaseListArgs,
    CaseVersionArgs,
    CFDocumentSchema,
    CFDocumentSetSchema,
    CFItemSchema,
    CFPackageSchema,
    FracImportReportSchema,
)
from hub.auth import current_principal
from hub.context import get_config, get_store
from hub.docs import HubBlueprint
from hub.errors import NotFound, PermissionDenied
from hub.json_body import load_body
from hub.principal import Role
from marketplace import frac_case_service as service
from marketplace.frac_case import CASE_BASE
from marketplace.frac_case_export import package_bytes
from marketplace.frac_case_import import import_package

case = HubBlueprint("case", __name__, url_prefix=CASE_BASE,
                    description="1EdTech CASE 1.1: published FRAC framework versions (no auth).")
frac_imports = HubBlueprint("frac_imports", __name__, url_prefix="/frac",
                            description="Import of CASE 1.1 packages as FRAC frameworks.")


def _json(body: Any) -> Response:
    return Response(orjson.dumps(body, option=orjson.OPT_SORT_KEYS), mimetype="application/json")


def _unknown(identifier: str) -> NoReturn:
    """404 for an identifier with nothing published: an RFC 9457 problem (as every hub error)
    that also carries CASE 1.1's ``imsx_StatusInfo`` members (§6.14, codeMinor
    ``unknownobject`` or ``invalid_uuid``), so CASE clients read it as CASE defines."""
    minor = "unknownobject" if service.is_identifier(identifier) else "invalid_uuid"
    description = (f"Unknown Object: {identifier}" if minor == "unknownobject"
                   else f"Invalid UUID: {identifier}")
    raise NotFound(description, imsx_codeMajor="failure", imsx_severity="error",
                   imsx_description=description, imsx_codeMinor={"imsx_codeMinorField": [
                       {"imsx_codeMinorFieldName": "sourcedId",
                        "imsx_codeMinorFieldValue": minor}]})


@case.route("/CFDocuments", methods=["GET"])
@case.arguments(CaseListArgs, location="query")
@case.response(200, CFDocumentSetSchema)
def get_all_documents(args: dict[str, Any]) -> Any:
    """getAllCFDocuments: the latest published version of every framework."""
    return _json({"CFDocuments": service.latest_documents(
        get_store(), get_config().public_url, args["limit"], args["offset"])})


@case.route("/CFDocuments/<identifier>", methods=["GET"])
@case.arguments(CaseVersionArgs, location="query")
@case.response(200, CFDocumentSchema)
def get_document(args: dict[str, Any], identifier: str) -> Any:
    """getCFDocument: a framework version's CFDocument (the latest unless ``?version``)."""
    writer = service.version_writer(get_store(), identifier, args.get("version"),
                                    get_config().public_url)
    return _unknown(identifier) if writer is None else _json(writer.document(package_uri=True))


@case.route("/CFPackages/<identifier>", methods=["GET"])
@case.arguments(CaseVersionArgs, location="query")
@case.response(200, CFPackageSchema)
def get_package(args: dict[str, Any], identifier: str) -> Any:
    """getCFPackage: a framework version whole (the latest unless ``?version``); the same
    bytes for the same version."""
    writer = service.version_writer(get_store(), identifier, args.get("version"),
                                    get_config().public_url)
    if writer is None:
        return _unknown(identifier)
    return Response(package_bytes(writer.package()), mimetype="application/json")


@case.route("/CFItems/<identifier>", methods=["GET"])
@case.arguments(CaseVersionArgs, location="query")
@case.response(200, CFItemSchema)
def get_item(args: dict[str, Any], identifier: str) -> Any:
    """getCFItem: a node as published (its latest version unless ``?version``)."""
    item = service.published_item(get_store(), identifier, args.get("version"),
                                   get_config().public_url)
    return _unknown(identifier) if item is None else _json(item)


@frac_imports.route("/imports", methods=["POST"])
@frac_imports.response(201, FracImportReportSchema)
@frac_imports.alt_response(200, schema=FracImportReportSchema,
                           description="the framework already had this content: unchanged")
@frac_imports.doc(security=[{"basic": []}], requestBody={
    "required": True, "description": "a CASE 1.1 CFPackage",
    "content": {"application/json": {"schema": CFPackageSchema}}})
def post_import(**_: Any) -> Any:
    """Import a CASE 1.1 CFPackage as a FRAC framework and publish it as a version
    (curator or admin; the framework belongs to the caller's organisation)."""
    principal: Any = current_principal(required=True)
    if not principal.has(Role.CURATOR):
        raise PermissionDenied("importing a framework needs the curator or admin role")
    package = load_body(request.get_data(cache=True))
    report = import_package(get_store(), package, org_id=principal.org_id,
                            actor=principal.key)
    status = 200 if report["status"] == "unchanged" else 201
    location = f"{CASE_BASE}/CFPackages/{report['framework']}?version={report['version']}"
    return report, status, {"Location": location}


def blueprints() -> list[HubBlueprint]:
    """The CASE and import blueprints, for :func:`marketplace.init_app`."""
    return [case, frac_imports]
