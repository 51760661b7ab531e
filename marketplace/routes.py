"""HTTP routes of the marketplace (flask-smorest blueprints): schema loads, service acts,
schema dumps. No try/except here: errors surface as problem+json through :mod:`hub.errors_http`.

- ``courses``: the providers' and reviewers' API (authenticated; tenancy in the service).
- ``catalogue``: the public catalogue (search, live course, JSON-LD, reviews).
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response, current_app, request

from catalogue_schemas.course import (
    CourseContentSchema,
    CourseListArgs,
    CoursePageSchema,
    CourseSchema,
)
from catalogue_schemas.review import (
    ReviewInSchema,
    ReviewListArgs,
    ReviewOutSchema,
    ReviewPageSchema,
)
from catalogue_schemas.search import (
    CourseJsonLdSchema,
    LanguageArgs,
    PublicCourseSchema,
    SearchArgs,
    SearchResultSchema,
)
from catalogue_schemas.workflow import (
    AuditTrailSchema,
    ImportFileSchema,
    ImportOptionsSchema,
    ImportReportSchema,
    TransitionSchema,
)
from hub.auth import current_principal
from hub.context import get_config, get_store
from hub.docs import HubBlueprint
from marketplace import frac_tags, importer, jsonld, reviews, service
from marketplace.frac_suggestion_routes import suggestions
from marketplace.request_language import preferred_language
from marketplace.search import public_course, search_catalogue

SECURED: dict[str, Any] = {"security": [{"basic": []}]}
IF_MATCH = {"parameters": [{
    "in": "header", "name": "If-Match", "required": True, "schema": {"type": "string"},
    "description": "ETag from a previous GET; 428 without it, 412 when the course changed since",
}]}

courses = HubBlueprint("courses", __name__, url_prefix="",
                    description="Providers' courses and the vetting workflow (authenticated).")
catalogue = HubBlueprint("catalogue", __name__, url_prefix="/catalogue",
                      description="The public catalogue of published courses (no auth).")


def _principal() -> Any:
    return current_principal(required=True)


def _with_etag(course: dict[str, Any], status: int = 200) -> tuple[Any, int, dict[str, str]]:
    return (service.with_actions(_principal(), course, get_store()), status,
            {"ETag": service.etag(course)})


def _search_state() -> dict[str, Any]:
    return current_app.extensions["marketplace.search"]  # type: ignore[no-any-return]


def _json(body: Any, mimetype: str = "application/json") -> Response:
    # orjson: several times faster than the stdlib encoder on a 20-item search page.
    return Response(orjson.dumps(body), mimetype=mimetype)


# --- providers and reviewers --------------------------------------------------------------------


@courses.route("/courses", methods=["POST"])
@courses.arguments(CourseContentSchema)
@courses.response(201, CourseSchema)
@courses.doc(**SECURED)
def create_course(content: dict[str, Any]) -> Any:
    """Create a draft course (publisher of a provider organisation)."""
    course = service.create_course(get_store(), _principal(), content)
    body, status, headers = _with_etag(course, 201)
    headers["Location"] = f"/courses/{course['id']}"
    return body, status, headers


@courses.route("/courses", methods=["GET"])
@courses.arguments(CourseListArgs, location="query")
@courses.response(200, CoursePageSchema)
@courses.doc(**SECURED)
def list_courses(args: dict[str, Any]) -> Any:
    """Own courses (every provider's for reviewers and admins), filtered by state."""
    return service.list_courses(get_store(), _principal(), args["state"], args.get("provider"),
                                args["limit"], args.get("after"))


@courses.route("/review-queue", methods=["GET"])
@courses.arguments(CourseListArgs, location="query")
@courses.response(200, CoursePageSchema)
@courses.doc(**SECURED)
def review_queue(args: dict[str, Any]) -> Any:
    """Courses submitted or in review, for reviewers."""
    return service.review_queue(get_store(), _principal(), args["limit"], args.get("after"))


@courses.route("/courses/import", methods=["POST"])
@courses.arguments(ImportOptionsSchema, location="query")
@courses.arguments(ImportFileSchema, location="files")
@courses.response(200, ImportReportSchema)
@courses.doc(**SECURED)
def import_courses(options: dict[str, Any], files: dict[str, Any]) -> Any:
    """Bulk import a JSON Lines or CSV file of courses (``?submit=true`` submits them).

    Valid rows are stored, invalid ones reported by line and field; no row is stored in part."""
    principal = _principal()
    service.check_provider_publisher(principal, "imports")
    upload = files["file"]
    rows = importer.rows_from_upload(upload.filename or "", upload.stream)
    return importer.import_catalogue(get_store(), principal.org_id, rows,
                                     submit=options["submit"],
                                     actor=principal.key)


@courses.route("/courses/<course_id>", methods=["GET"])
@courses.response(200, CourseSchema)
@courses.doc(**SECURED)
def get_course(course_id: str) -> Any:
    """One course with its working revision and live version (owner, reviewers)."""
    return _with_etag(service.load_visible(get_store(), _principal(), course_id))


@courses.route("/courses/<course_id>", methods=["PUT"])
@courses.arguments(CourseContentSchema)
@courses.response(200, CourseSchema)
@courses.doc(**SECURED, **IF_MATCH)
def edit_course(content: dict[str, Any], course_id: str) -> Any:
    """Replace the working revision (a published course gets a new draft revision)."""
    course = service.edit_course(get_store(), _principal(), course_id, content,
                                 request.headers.get("If-Match"))
    return _with_etag(course)


@courses.route("/courses/<course_id>/transitions", methods=["POST"])
@courses.arguments(TransitionSchema)
@courses.response(200, CourseSchema)
@courses.doc(**SECURED, **IF_MATCH)
def transition_course(body: dict[str, Any], course_id: str) -> Any:
    """Take a workflow action; 409 naming the allowed actions when illegal from here."""
    course = service.transition_course(get_store(), _principal(), course_id, body["action"],
                                       body.get("comment"), request.headers.get("If-Match"))
    return _with_etag(course)


@courses.route("/courses/<course_id>/audit", methods=["GET"])
@courses.response(200, AuditTrailSchema)
@courses.doc(**SECURED)
def course_audit(course_id: str) -> Any:
    """Every audit event of the course, oldest first."""
    return {"items": service.audit_trail(get_store(), _principal(), course_id)}


# --- public catalogue ---------------------------------------------------------------------------


@catalogue.route("/search", methods=["GET"])
@catalogue.arguments(SearchArgs(), location="query")  # an instance: no schema build per call
@catalogue.response(200, SearchResultSchema)
def search(args: dict[str, Any]) -> Any:
    """Full-text search over published courses with filters, facets and a signed cursor."""
    state = _search_state()
    result = search_catalogue(get_store(), args, state["codec"], state["names"],
                              get_config().public_url, preferred_language(args))
    return _json(result)


def _public(course_id: str, lang: str | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The public course item and the schema.org alignments of its competency tags."""
    store, base_url = get_store(), get_config().public_url
    course = reviews.published_course(store, course_id)
    tags = (course.get("live") or {}).get("competencies") or []
    item = public_course(course, _search_state()["names"](course["provider_id"]), base_url,
                         lambda stored: frac_tags.public_tags(store, stored, lang))
    return item, frac_tags.alignments(store, tags, lang, base_url)


@catalogue.route("/courses/<course_id>.jsonld", methods=["GET"])
@catalogue.arguments(LanguageArgs, location="query")
@catalogue.response(200, CourseJsonLdSchema, content_type=jsonld.JSONLD_MIMETYPE)
def course_jsonld(args: dict[str, Any], course_id: str) -> Any:
    """schema.org ``Course`` JSON-LD of a published course (competency names in ``lang``)."""
    item, alignments = _public(course_id, preferred_language(args))
    return _json(jsonld.course_jsonld(item, alignments), jsonld.JSONLD_MIMETYPE)


@catalogue.route("/courses/<course_id>", methods=["GET"])
@catalogue.arguments(LanguageArgs, location="query")
@catalogue.response(200, PublicCourseSchema)
def public_course_view(args: dict[str, Any], course_id: str) -> Any:
    """The live version of a published course (JSON-LD for ``Accept: application/ld+json``),
    its competency tags with names and codes in ``lang``."""
    item, alignments = _public(course_id, preferred_language(args))
    best = request.accept_mimetypes.best_match(["application/json", jsonld.JSONLD_MIMETYPE])
    if best == jsonld.JSONLD_MIMETYPE:
        return _json(jsonld.course_jsonld(item, alignments), jsonld.JSONLD_MIMETYPE)
    return _json(item)


@catalogue.route("/courses/<course_id>/reviews", methods=["POST"])
@catalogue.arguments(ReviewInSchema)
@catalogue.response(201, ReviewOutSchema)
@catalogue.alt_response(200, schema=ReviewOutSchema, description="the learner's review updated")
@catalogue.doc(**SECURED)
def post_review(body: dict[str, Any], course_id: str) -> Any:
    """Rate a published course for a learner (201 new, 200 replaced)."""
    review, created = reviews.post_review(get_store(), _principal(), course_id, body)
    return review, 201 if created else 200


@catalogue.route("/courses/<course_id>/reviews", methods=["GET"])
@catalogue.arguments(ReviewListArgs, location="query")
@catalogue.response(200, ReviewPageSchema)
def list_reviews(args: dict[str, Any], course_id: str) -> Any:
    """Reviews of a published course, newest first (learner ids stay private)."""
    return reviews.list_reviews(get_store(), course_id, args["limit"], args.get("cursor"),
                                _search_state()["reviews"])


def blueprints() -> list[HubBlueprint]:
    """Every marketplace blueprint, for :func:`marketplace.init_app`."""
    return [courses, catalogue, suggestions]
