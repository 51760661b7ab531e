"""``--launch-shim`` of ``python -m benchmarks.cmi5_conformance``: a stand-in for ``POST
/player/launches`` while the hub has no player API, so that the suite's runtime tests exercise
what exists (the launch, fetch, LaunchData, the LRS's cmi5 rules) before it lands.

It answers the player API's contract (``{course_id, learner_id, au_id?, launch_mode?,
return_url?}`` -> 201 ``{url, registration, session_id, au_id, activity_id, launch_method,
course_id}``) with :func:`lti.cmi5_launch.prepare_au_launch` on the course's published package,
for the one LMS organisation the runner provisions. It checks no credential: it exists only in
the runner's process, on a throwaway store served on 127.0.0.1. Waiving and abandoning have no
stand-in (their tests fail with 404 until the player API is there)."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, request


def install(app: Flask, lms_org_id: str) -> bool:
    """Add the stand-in route unless the hub has the real one; True when added."""
    if any(rule.rule == "/player/launches" for rule in app.url_map.iter_rules()):
        return False

    def launch() -> Any:
        from lti.cmi5_launch import prepare_au_launch
        from marketplace.packages import package_of, structure_of

        body = request.get_json(force=True)
        store = app.extensions["hub.store"]
        config = app.extensions["hub.config"]
        course = store.courses.get(body["course_id"]) or {}
        structure, package = structure_of(course.get("live")), package_of(course.get("live"))
        if structure is None or package is None:
            return jsonify({"detail": "no published package"}), 404
        aus = structure.get("aus") or []
        au = next((a for a in aus if a["id"] == body.get("au_id")), aus[0] if aus else None)
        if au is None:
            return jsonify({"detail": "no such AU"}), 404
        base = config.public_url
        done = prepare_au_launch(
            store, lms_org_id, body["learner_id"], body["course_id"], structure, au,
            return_url=body.get("return_url"), launch_mode=body.get("launch_mode") or "Normal",
            public_url=base, content_base=f"{base}/content/{body['course_id']}/"
                                          f"{package['sha256']}",
            blobs=app.extensions["hub.blobs"])
        return jsonify({"url": done["url"], "registration": done["registration"],
                        "session_id": done["session"], "au_id": au["id"],
                        "activity_id": done["activity_id"],
                        "launch_method": au.get("launch_method") or "AnyWindow",
                        "course_id": body["course_id"]}), 201

    app.add_url_rule("/player/launches", "cmi5_suite_launch_shim", launch, methods=["POST"])
    return True
