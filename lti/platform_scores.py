"""Every score a provider's tool publishes becomes xAPI statements in the launching
organisation's LRS (DESIGN.md "The xAPI bridge"), so the learner's record is complete however
the content was launched.

Which verbs (ADL vocabulary) a score makes:

- ``scored`` whenever it carries ``scoreGiven`` (AGS §3.4.3), with ``result.score``;
- ``completed`` when ``activityProgress`` is ``Completed`` (AGS §3.4.5);
- ``passed`` or ``failed`` when ``gradingProgress`` is ``FullyGraded`` (AGS §3.4.6: the score
  is final) and it carries ``scoreGiven``: passed when the scaled score reaches
  :data:`PASS_MARK`.

A score that is neither (``Started``, ``Pending`` without a score) makes no statement: it
tells the LRS nothing a learner did.
"""

from __future__ import annotations

from lti import xapi_bridge
from storage.ports import Document, Store
from storage.ports.blobs import BlobStore

#: The scaled score (xAPI Data 2.4.5.1.1, 0..1) at or above which a final score is a pass:
#: the common half-marks rule, as no catalogue field states a course's own pass mark.
PASS_MARK = 0.5


def score_verbs(result: Document) -> list[str]:
    """The ADL verbs (``scored``, ``completed``, ``passed``/``failed``) of a stored score."""
    verbs = []
    score = xapi_bridge.score_of(result.get("score_given"), result.get("score_maximum"))
    if score is not None:
        verbs.append("scored")
    if result.get("activity_progress") == "Completed":
        verbs.append("completed")
    scaled = (score or {}).get("scaled")
    if result.get("grading_progress") == "FullyGraded" and scaled is not None:
        verbs.append("passed" if scaled >= PASS_MARK else "failed")
    return verbs


def record_score(store: Store, blobs: BlobStore, public_url: str, tool: Document,
                 item: Document, member: Document, result: Document) -> list[str]:
    """Store the score's statements in the line item's organisation's LRS (through the LRS's
    own service, :func:`lti.xapi_bridge.record`), in the learner's latest attempt, each with
    the score's ``gradingProgress`` (so the pass-back to an LMS keeps "not graded yet"); their
    ids (none for a score that states nothing)."""
    statements = [
        xapi_bridge.result_statement(
            verb, public_url, learner_id=member["user_id"], course_id=item["course_id"],
            registration=member["registration"], score_given=result.get("score_given"),
            score_maximum=result.get("score_maximum"), response=result.get("comment"),
            timestamp=result["timestamp"], grading_progress=result.get("grading_progress"),
            tool_registration=tool["id"],
            deployment_id=tool.get("deployment_id"), context_id=item["context_id"],
            resource_link_id=item.get("resource_link_id"))
        for verb in score_verbs(result)]
    if not statements:
        return []
    return xapi_bridge.record(store, blobs, public_url, item["org_id"], statements)
