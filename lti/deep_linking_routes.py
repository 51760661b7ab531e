"""Browser endpoints of the tool side's Deep Linking picker (:mod:`lti.deep_linking`); HTML form
posts, not JSON, so they stay out of the OpenAPI document.

- ``GET|POST /lti/deep-linking/picker`` (``state``, ``q``, ``cursor``): a page of published
  courses found by the marketplace's search (:func:`marketplace.search.search_catalogue`).
  The search form posts, so the sealed state never sits in a URL (logs, ``Referer``).
- ``POST /lti/deep-linking/pick`` (``state``, ``course_id``..., ``action``): signs the
  ``LtiDeepLinkingResponse`` with the hub's keys and answers the page that auto-posts it to the
  LMS's ``deep_link_return_url`` (Deep Linking 2.0 §4.2). ``action=cancel`` returns no items.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from hub.context import get_config, get_store
from hub.errors import ValidationError
from lti.deep_linking import PAGE_HEADERS, picker_page, picker_states, response_claims
from marketplace.reviews import published_course

blueprint = Blueprint("lti_deep_linking", __name__, url_prefix="/lti/deep-linking",
                      template_folder="templates")

@blueprint.route("/picker", methods=["GET", "POST"])
def picker() -> Response:
    """Another search or page of the picker."""
    state = picker_states().open(request.values.get("state"))
    q = (request.values.get("q") or "").strip()
    return picker_page(state, q, request.values.get("cursor") or None)


@blueprint.route("/pick", methods=["POST"])
def pick() -> Response:
    """The signed Deep Linking response for the picked courses, auto-posted to the LMS."""
    state = picker_states().open(request.form.get("state"))
    ids = [] if request.form.get("action") == "cancel" else request.form.getlist("course_id")
    if len(set(ids)) != len(ids):
        raise ValidationError.for_field("course_id", "the same course twice")
    store = get_store()
    courses = [published_course(store, cid) for cid in ids]
    claims = response_claims(state, courses, get_config().public_url)
    from lti.keys import hub_keys  # (the hub's signing keys load on first use)

    html = render_template("lti/deep_linking_return.html", return_url=state.return_url,
                           jwt=hub_keys().sign(claims))
    return Response(html, mimetype="text/html", headers=PAGE_HEADERS)
