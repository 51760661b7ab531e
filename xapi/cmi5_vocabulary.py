"""The cmi5 vocabulary the hub's LRS and launch use (cmi5 §9, §10, §11): verb, category and
extension IRIs, document ids, launch modes and moveOn values. Plain constants: no imports."""

from __future__ import annotations

_ADL = "http://adlnet.gov/expapi/verbs/"
_W3ID_ADL = "https://w3id.org/xapi/adl/verbs/"

#: cmi5 §9.3: the verbs of cmi5 defined statements, by name.
VERBS: dict[str, str] = {
    "launched": _ADL + "launched",
    "initialized": _ADL + "initialized",
    "completed": _ADL + "completed",
    "passed": _ADL + "passed",
    "failed": _ADL + "failed",
    "terminated": _ADL + "terminated",
    "abandoned": _W3ID_ADL + "abandoned",
    "waived": _W3ID_ADL + "waived",
    "satisfied": _W3ID_ADL + "satisfied",
}
#: The verb names of :data:`VERBS`, by IRI.
VERB_NAMES: dict[str, str] = {iri: name for name, iri in VERBS.items()}
#: Verbs only the LMS uses (cmi5 §9.3.1, §9.3.6, §9.3.7, §9.3.9: "AU obligations: none"); an
#: AU's session token may not send them.
LMS_VERBS = frozenset({"launched", "abandoned", "waived", "satisfied"})

#: cmi5 §9.6.2.1: the category activity that makes a statement "cmi5 defined".
CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
#: cmi5 §9.6.2.2: the category of statements whose result carries success or completion.
MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"

_EXT = "https://w3id.org/xapi/cmi5/context/extensions/"
#: cmi5 §9.6.3 context extensions.
SESSION_ID = _EXT + "sessionid"
MASTERY_SCORE = _EXT + "masteryscore"
LAUNCH_MODE = _EXT + "launchmode"
LAUNCH_URL = _EXT + "launchurl"
MOVE_ON = _EXT + "moveon"
LAUNCH_PARAMETERS = _EXT + "launchparameters"

#: cmi5 §10: the State document the LMS writes before a launch.
LAUNCH_DATA = "LMS.LaunchData"
#: cmi5 §11: the Agent Profile document of learner preferences.
LEARNER_PREFERENCES = "cmi5LearnerPreferences"

#: cmi5 §10.2.2.
LAUNCH_MODES = ("Normal", "Browse", "Review")
#: cmi5 §13.1.4 moveOn values.
MOVE_ON_VALUES = ("NotApplicable", "Passed", "Completed", "CompletedAndPassed",
                  "CompletedOrPassed")
#: cmi5 §9.4: the activity types of the LMS's block and course objects.
BLOCK_TYPE = "https://w3id.org/xapi/cmi5/activitytype/block"
COURSE_TYPE = "https://w3id.org/xapi/cmi5/activitytype/course"
