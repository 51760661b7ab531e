"""HTTP routes of packaged content: upload and read a course's package (documented JSON API),
preview its files (owner, reviewers) and serve a published package's files to learners'
browsers (``/content/...``, public).

The file routes answer bytes of any type: the document lists them with their statuses
(200, 206, 302, 304, 416) and a binary body, the JSON routes with their schemas.
"""

from __future__ import annotations

from typing import Any

from flask import request
from werkzeug.wrappers import Response

from catalogue_schemas.course import CourseSchema
from catalogue_schemas.package import PackageViewSchema
from hub.auth import current_principal
from hub.context import get_blobs, get_config, get_store
from hub.destinations import AllowList
from hub.docs import HubBlueprint
from hub.errors import UnsupportedMediaType
from marketplace import package_files, package_serving, package_upload, service
from marketplace.package_zip import PackageLimits
from marketplace.routes import IF_MATCH, SECURED

#: Media types of a zip (IANA ``application/zip``; older Windows browsers send the x- one).
ZIP_TYPES = ("application/zip", "application/x-zip-compressed")
ZIP_BODY = {"required": True, "description": "the package: a zip with cmi5.xml or tincan.xml "
            "at its root", "content": {"application/zip": {
                "schema": {"type": "string", "format": "binary"}}}}

_BINARY = {"*/*": {"schema": {"type": "string", "format": "binary"}}}
_RANGE = {"in": "header", "name": "Range", "required": False, "schema": {"type": "string"},
          "description": "one byte range (RFC 9110 §14.2); several are answered whole"}
FILE_DOC: dict[str, Any] = {
    "parameters": [_RANGE],
    "responses": {
        "200": {"description": "the file, with its type, a strong ETag and caching headers",
                "content": _BINARY},
        "206": {"description": "the requested byte range (Content-Range)", "content": _BINARY},
        "302": {"description": "a short-lived presigned URL of the file (HUB_PACKAGE_PRESIGN)"},
        "304": {"description": "not modified (If-None-Match matched the ETag)"},
    },
}

packages_api = HubBlueprint("packages", __name__, url_prefix="",
                            description="cmi5 and xAPI packages of courses and their files.")


def _principal() -> Any:
    return current_principal(required=True)


@packages_api.route("/courses/<course_id>/package", methods=["PUT"])
@packages_api.response(200, CourseSchema)
@packages_api.doc(requestBody=ZIP_BODY, **SECURED, **IF_MATCH)
def put_package(course_id: str) -> Any:
    """Upload the course's cmi5 or xAPI package (a zip) onto its working revision; a bad
    package is a 400 naming the problem, and nothing of it is kept."""
    principal = _principal()
    if request.mimetype not in ZIP_TYPES:
        raise UnsupportedMediaType("a package is sent as Content-Type: application/zip")
    config = get_config()
    with package_upload.spooled(request.stream) as upload:
        course = package_upload.upload_package(
            get_store(), get_blobs(), principal, course_id, upload,
            request.headers.get("If-Match"), PackageLimits.from_config(config),
            AllowList.parse(config.outbound_allow_hosts))
    return (service.with_actions(principal, course, get_store()), 200,
            {"ETag": service.etag(course)})


@packages_api.route("/courses/<course_id>/package", methods=["GET"])
@packages_api.response(200, PackageViewSchema)
@packages_api.doc(**SECURED)
def get_package(course_id: str) -> Any:
    """The working revision's package: its course structure and files (owner, reviewers)."""
    return package_files.package_view(get_store(), get_blobs(), _principal(), course_id)


@packages_api.route("/courses/<course_id>/package/files/<path:path>", methods=["GET"])
@packages_api.doc(**SECURED, **FILE_DOC)
def preview_file(course_id: str, path: str) -> Response:
    """A file of the working revision's package, for its owner and reviewers to preview."""
    served = package_files.preview_file(get_store(), get_blobs(), _principal(), course_id,
                                        path)
    return package_serving.file_response(get_blobs(), served, request.environ, public=False)


@packages_api.route("/content/<course_id>/<sha256>/<path:path>", methods=["GET"])
@packages_api.doc(**FILE_DOC)
def content_file(course_id: str, sha256: str, path: str) -> Response:
    """A file of a published course's package, to any browser (no credential)."""
    served = package_files.live_file(get_store(), get_blobs(), course_id, sha256, path)
    return package_serving.file_response(get_blobs(), served, request.environ,
                                         presign=get_config().package_presign)
