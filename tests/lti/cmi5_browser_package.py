"""A cmi5 package whose AU is a real page (HTML + JS) for the browser test: built as a zip here,
uploaded through the API like any provider's package."""

from __future__ import annotations

from tests.marketplace.package_support import NS, build_zip, text

COURSE_IRI = "https://provider.example/courses/browser-check"
AU_ID = "https://provider.example/aus/browser-quiz"
MASTERY = 0.8
SCORE = 0.9

#: The AU's whole job, as cmi5 asks of an AU (cmi5 §8.1 launch parameters, §8.2 fetch, §10
#: LaunchData, §9.3 verbs in order, §9.6.2.1 the context template, §13.1.4 returnURL): every
#: step that fails writes its reason into #status so that the test can say what went wrong.
AU_JS = """\
"use strict";
(async () => {
  const show = (m) => { document.getElementById("status").textContent = m; };
  try {
    const q = new URLSearchParams(location.search);
    const endpoint = q.get("endpoint"), actor = JSON.parse(q.get("actor"));
    const registration = q.get("registration"), activityId = q.get("activityId");
    const fetched = await fetch(q.get("fetch"), {method: "POST"});
    const token = (await fetched.json())["auth-token"];
    if (!token) { throw new Error("fetch gave no auth-token"); }
    const headers = {"Authorization": "Basic " + token,
                     "X-Experience-API-Version": "1.0.3"};
    const stateQuery = new URLSearchParams({stateId: "LMS.LaunchData", activityId,
                                            agent: JSON.stringify(actor), registration});
    const state = await fetch(endpoint + "activities/state?" + stateQuery, {headers});
    if (state.status !== 200) { throw new Error("LaunchData: HTTP " + state.status); }
    const launchData = await state.json();
    const prefsQuery = new URLSearchParams({profileId: "cmi5LearnerPreferences",
                                            agent: JSON.stringify(actor)});
    const prefs = await fetch(endpoint + "agents/profile?" + prefsQuery, {headers});
    if (prefs.status !== 200) { throw new Error("preferences: HTTP " + prefs.status); }
    const started = Date.now();
    const send = async (verb, result, moveOn) => {
      const context = JSON.parse(JSON.stringify(launchData.contextTemplate));
      context.registration = registration;
      context.contextActivities.category = [
        {id: "https://w3id.org/xapi/cmi5/context/categories/cmi5"}];
      if (moveOn) {
        context.contextActivities.category.push(
          {id: "https://w3id.org/xapi/cmi5/context/categories/moveon"});
      }
      const body = {id: crypto.randomUUID(),  // cmi5 §9.1: the AU assigns the id
                    actor, verb: {id: verb, display: {"en-US": verb.split("/").pop()}},
                    object: {objectType: "Activity", id: activityId}, context,
                    timestamp: new Date().toISOString()};
      if (result) { body.result = result; }
      if (result && result.score && launchData.masteryScore !== undefined) {
        // cmi5 §9.6.3.2: a scored passed/failed carries the masteryScore
        context.extensions["https://w3id.org/xapi/cmi5/context/extensions/masteryscore"] =
          launchData.masteryScore;
      }
      const res = await fetch(endpoint + "statements", {
        method: "POST", headers: {...headers, "Content-Type": "application/json"},
        body: JSON.stringify(body)});
      if (res.status !== 200) { throw new Error(verb + ": HTTP " + res.status + " "
                                                + await res.text()); }
    };
    const elapsed = () => "PT" + ((Date.now() - started) / 1000).toFixed(2) + "S";
    const adl = "http://adlnet.gov/expapi/verbs/";
    await send(adl + "initialized");
    await send(adl + "completed", {completion: true, duration: elapsed()}, true);
    const scaled = __SCORE__;
    if (scaled < launchData.masteryScore) { throw new Error("score below masteryScore"); }
    await send(adl + "passed", {success: true, score: {scaled}, duration: elapsed()}, true);
    await send("http://adlnet.gov/expapi/verbs/terminated", {duration: elapsed()});
    show("done");
    location.href = launchData.returnURL;
  } catch (err) {
    show("failed: " + err.message);
  }
})();
""".replace("__SCORE__", str(SCORE))

AU_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Browser quiz</title></head>
<body><p id="status">starting</p><script src="au.js"></script></body></html>
"""


def cmi5_xml() -> str:
    """One AU, assessed (cmi5 §13.1.4 masteryScore), in a block-less course."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="{NS}">
  <course id="{COURSE_IRI}">
    {text("title", ("en", "Browser check"))}
    {text("description", ("en", "An AU that a real browser runs."))}
  </course>
  <au id="{AU_ID}" moveOn="CompletedAndPassed" masteryScore="{MASTERY}">
    {text("title", ("en", "Browser quiz"))}
    {text("description", ("en", "Sends its statements and returns."))}
    <url>quiz/index.html</url>
  </au>
</courseStructure>
"""


def browser_package() -> bytes:
    """The package as a zip."""
    return build_zip({"cmi5.xml": cmi5_xml(), "quiz/index.html": AU_HTML,
                      "quiz/au.js": AU_JS})
