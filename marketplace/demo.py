"""Demo data, generated deterministically in code (no data file): a plausible catalogue so a
newcomer can try every endpoint right after ``make run``.

Ten fictional providers (Indian training institutes and universities abroad) offer 240
courses on civil-service topics, titled in English and Hindi and, for the regional institutes,
also in Tamil, Bengali or Marathi: 210 published (many rated by learners of a demo LMS), the
rest in draft, submitted, in review or with changes requested. Each provider has an LTI tool
registration that its ``lti`` courses name. A review board, an admin organisation and a demo
LMS come with one credential each. Every course is tagged with a competency of the demo FRAC
framework (:mod:`marketplace.demo_frac`), which the review board owns and has published.
"""

from __future__ import annotations

import copy
import random

from catalogue_schemas.course import CourseContentSchema
from hub.auth import create_credential, create_organisation
from hub.principal import OrgKind, Role
from marketplace.demo_frac import load_demo_framework, stored_tags, topic_tag
from marketplace.service import audit_event, new_course
from storage.ports import Document, Store
from storage.timestamps import utcnow

#: (name, country, web domain, regional language or None, currency)
PROVIDERS: tuple[tuple[str, str, str, str | None, str], ...] = (
    ("Deccan Academy of Public Administration", "IN", "dapa.example.in", None, "INR"),
    ("Coromandel State Institute of Rural Development", "IN", "csird.example.in", "ta", "INR"),
    ("Bengal Institute of Administrative Training", "IN", "biat.example.in", "bn", "INR"),
    ("Sahyadri Institute of Disaster Management", "IN", "sidm.example.in", "mr", "INR"),
    ("National Institute of Public Finance Training", "IN", "nipft.example.in", None, "INR"),
    ("Eastern Institute of Cyber Security Training", "IN", "eicst.example.in", None, "INR"),
    ("University of Westbridge School of Government", "GB", "westbridge.example.ac.uk", None,
     "GBP"),
    ("Lakeshore University Centre for Public Leadership", "US", "lakeshore.example.edu", None,
     "USD"),
    ("Nordhavn University Institute for Digital Government", "DK", "nordhavn.example.dk", None,
     "EUR"),
    ("Himalayan Institute of Governance and Public Policy", "IN", "higpp.example.in", None,
     "INR"),
)

#: (English, Hindi, keywords, {regional language: title})
TOPICS: tuple[tuple[str, str, tuple[str, ...], dict[str, str]], ...] = (
    ("Public Financial Management", "सार्वजनिक वित्तीय प्रबंधन", ("finance", "budget", "PFMS"),
     {"ta": "பொது நிதி மேலாண்மை", "bn": "সরকারি আর্থিক ব্যবস্থাপনা",
      "mr": "सार्वजनिक वित्तीय व्यवस्थापन"}),
    ("Government e-Marketplace Procurement", "सरकारी ई-मार्केटप्लेस खरीद",
     ("GeM", "procurement", "tender"), {}),
    ("Right to Information Act", "सूचना का अधिकार अधिनियम", ("RTI", "transparency", "law"),
     {"ta": "தகவல் அறியும் உரிமைச் சட்டம்", "bn": "তথ্য অধিকার আইন",
      "mr": "माहितीचा अधिकार कायदा"}),
    ("Office Noting and Drafting", "कार्यालय टिप्पण और प्रारूपण",
     ("noting", "drafting", "file management"), {}),
    ("Cyber Security Awareness", "साइबर सुरक्षा जागरूकता", ("cyber", "security", "phishing"),
     {"ta": "இணையப் பாதுகாப்பு விழிப்புணர்வு", "bn": "সাইবার নিরাপত্তা সচেতনতা",
      "mr": "सायबर सुरक्षा जागरूकता"}),
    ("Disaster Risk Reduction", "आपदा जोखिम न्यूनीकरण", ("disaster", "Sendai", "resilience"),
     {"ta": "பேரிடர் அபாயக் குறைப்பு", "bn": "দুর্যোগ ঝুঁকি হ্রাস",
      "mr": "आपत्ती जोखीम निवारण"}),
    ("Citizen-Centric Service Delivery", "नागरिक-केंद्रित सेवा वितरण",
     ("service delivery", "Sevottam", "citizen charter"), {}),
    ("Data-Driven Policy Making", "डेटा-आधारित नीति निर्माण",
     ("data", "evidence", "policy analysis"), {}),
    ("Project Management in Government", "सरकार में परियोजना प्रबंधन",
     ("project", "planning", "monitoring"), {}),
    ("Ethics and Integrity in Public Service", "लोक सेवा में नैतिकता और सत्यनिष्ठा",
     ("ethics", "integrity", "values"), {}),
    ("Gender Sensitisation at the Workplace", "कार्यस्थल पर लैंगिक संवेदनशीलता",
     ("gender", "POSH", "inclusion"), {}),
    ("Rural Development Schemes", "ग्रामीण विकास योजनाएँ", ("MGNREGA", "rural", "schemes"),
     {"ta": "ஊரக வளர்ச்சித் திட்டங்கள்", "bn": "গ্রামীণ উন্নয়ন প্রকল্প",
      "mr": "ग्रामीण विकास योजना"}),
    ("Public Procurement Rules", "सार्वजनिक खरीद नियम", ("GFR", "procurement", "rules"), {}),
    ("Digital Governance and e-Office", "डिजिटल शासन और ई-ऑफिस",
     ("e-office", "digital", "e-governance"), {}),
    ("Stress Management for Officers", "अधिकारियों के लिए तनाव प्रबंधन",
     ("wellbeing", "stress", "mindfulness"), {}),
    ("Effective Communication", "प्रभावी संचार", ("communication", "writing", "speaking"),
     {"ta": "பயனுள்ள தொடர்பு", "bn": "কার্যকর যোগাযোগ", "mr": "प्रभावी संवाद"}),
    ("Leadership and Team Building", "नेतृत्व और टीम निर्माण",
     ("leadership", "teams", "motivation"), {}),
    ("Conduct Rules for Civil Servants", "सिविल सेवकों के लिए आचरण नियम",
     ("conduct rules", "discipline", "CCS"), {}),
    ("Urban Local Governance", "शहरी स्थानीय शासन", ("municipal", "urban", "smart cities"), {}),
    ("Climate Change and Sustainable Development", "जलवायु परिवर्तन और सतत विकास",
     ("climate", "SDG", "sustainability"), {}),
    ("Public Health Administration", "सार्वजनिक स्वास्थ्य प्रशासन",
     ("health", "NHM", "epidemiology"), {}),
    ("Grievance Redressal Mechanisms", "शिकायत निवारण तंत्र", ("CPGRAMS", "grievance"), {}),
    ("Budgeting and Outcome Monitoring", "बजट निर्माण और परिणाम निगरानी",
     ("outcome budget", "monitoring", "KPI"), {}),
    ("Contract Management", "अनुबंध प्रबंधन", ("contracts", "vendors", "SLA"), {}),
    ("Artificial Intelligence for Public Servants", "लोक सेवकों के लिए कृत्रिम बुद्धिमत्ता",
     ("AI", "machine learning", "automation"), {}),
    ("Official Language Policy", "राजभाषा नीति", ("Rajbhasha", "Hindi", "language"), {}),
    ("Land Records Modernisation", "भूमि अभिलेख आधुनिकीकरण",
     ("land records", "DILRMP", "survey"), {}),
    ("Vigilance and Anti-Corruption", "सतर्कता और भ्रष्टाचार निरोध",
     ("vigilance", "CVC", "anti-corruption"), {}),
    ("Design Thinking for Public Services", "लोक सेवाओं के लिए डिज़ाइन थिंकिंग",
     ("design thinking", "innovation", "user research"), {}),
    ("Financial Rules and Audit", "वित्तीय नियम और लेखा परीक्षा", ("audit", "CAG", "GFR"), {}),
)

#: (English pattern, Hindi pattern, level)
FORMATS: tuple[tuple[str, str, str], ...] = (
    ("Foundations of {t}", "{t} के मूल सिद्धांत", "beginner"),
    ("{t}: A Practitioner's Course", "{t}: व्यावहारिक पाठ्यक्रम", "intermediate"),
    ("Advanced {t}", "उन्नत {t}", "advanced"),
    ("{t} for District Officers", "ज़िला अधिकारियों के लिए {t}", "intermediate"),
    ("{t} in Practice: Case Studies", "व्यवहार में {t}: केस अध्ययन", "intermediate"),
    ("Introduction to {t}", "{t} का परिचय", "beginner"),
    ("{t} Masterclass", "{t} मास्टरक्लास", "advanced"),
    ("Essentials of {t}", "{t} की अनिवार्यताएँ", "beginner"),
)

DURATIONS = ("PT30M", "PT45M", "PT1H30M", "PT2H", "PT3H", "PT4H", "PT6H", "PT8H", "PT12H",
             "PT20H", "PT30H", "PT40H", "PT60H")
#: How many of the 240 courses end in each state (the rest are published).
UNPUBLISHED = (("draft", 12), ("submitted", 8), ("in_review", 6), ("changes_requested", 4))

REVIEW_BOARD = "Karmayogi Content Review Board"
ADMIN_ORG = "Karmayogi Hub Administration"
DEMO_LMS = "Demo State Learning Management System"
#: ``app.extensions`` key of the demo loaders of upper layers: ``loader(store) -> credentials``
#: (merged into what ``hub demo load`` prints), run after the catalogue is loaded.
DEMO_LOADERS = "hub.demo_loaders"

_SCHEMA = CourseContentSchema()


#: Where ``hub lti dev-tool`` serves the development tool: the first demo provider's tool, so
#: that a newcomer can launch its ``lti`` courses from the command line (README, LTI platform).
DEV_TOOL_URL = "http://127.0.0.1:8200"


def demo_tool_id(provider: int) -> str:
    """The id of demo provider number ``provider``'s LTI tool registration."""
    return f"tool_demo{provider:02d}"


def demo_tool_base(provider: int) -> str:
    """The base URL of demo provider ``provider``'s tool (the first one: the dev tool)."""
    return DEV_TOOL_URL if provider == 0 else f"https://lms.{PROVIDERS[provider][2]}/lti"


def demo_tool(provider: int, org_id: str) -> Document:
    """Demo provider ``provider``'s LTI 1.3 tool registration (``store.lti_tools``; the shape
    :mod:`lti.tools` registers), so that its ``lti`` courses name a tool of their own provider."""
    base = demo_tool_base(provider)
    return {"id": demo_tool_id(provider), "org_id": org_id,
            "name": f"{PROVIDERS[provider][0]} learning tool",
            "client_id": f"hub-demo-{provider:02d}",
            "initiate_login_url": f"{base}/login", "redirect_uris": [f"{base}/launch"],
            "key_set_url": f"{base}/jwks", "public_jwk": None,
            "deployment_id": "dep-demo", "scopes": [
                "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                "https://purl.imsglobal.org/spec/lti-ags/scope/score",
                "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"],
            "target_link_uri": f"{base}/resource", "deep_linking_url": None,
            "created_at": utcnow(), "created_by": "demo", "updated_at": None}


def course_content(index: int, rng: random.Random) -> tuple[int, Document]:
    """(provider index, validated content) of demo course number ``index``."""
    topic_en, topic_hi, keywords, regional = TOPICS[index % len(TOPICS)]
    fmt_en, fmt_hi, level = FORMATS[(index // len(TOPICS)) % len(FORMATS)]
    provider = (index * 7 + index // len(TOPICS)) % len(PROVIDERS)
    _, _, domain, region_lang, currency = PROVIDERS[provider]
    title = {"en": fmt_en.format(t=topic_en), "hi": fmt_hi.format(t=topic_hi)}
    description = {
        "en": f"{title['en']} for officers of the civil services: the rules, the systems and "
              f"worked cases on {topic_en.lower()}, with exercises drawn from field postings.",
        "hi": f"सिविल सेवा के अधिकारियों के लिए {title['hi']}: नियम, प्रणालियाँ और "
              f"{topic_hi} पर व्यावहारिक उदाहरण।",
    }
    if region_lang and region_lang in regional:
        title[region_lang] = regional[region_lang]
        description[region_lang] = regional[region_lang]
    kind = rng.choices(("lti", "xapi", "cmi5", "external"), (4, 3, 1, 2))[0]
    delivery = {
        "lti": {"type": "lti", "tool": demo_tool_id(provider),
                "target_link_uri": f"{demo_tool_base(provider)}/resource?course={index:04d}"},
        "xapi": {"type": "xapi", "package": f"packages/{domain}/course-{index:04d}.zip"},
        "cmi5": {"type": "cmi5", "package": f"packages/{domain}/cmi5-{index:04d}.zip"},
        "external": {"type": "external", "url": f"https://{domain}/courses/{index:04d}"},
    }[kind]
    paid = rng.random() < 0.2
    content = {
        "title": title,
        "description": description,
        "keywords": [*keywords, "civil services"],
        "category": rng.choices(("course", "program", "learning-resource", "assessment"),
                                (12, 2, 4, 2))[0],
        "mode": rng.choices(("self-paced", "instructor-led", "classroom"), (6, 3, 1))[0],
        "level": level,
        "duration": rng.choice(DURATIONS),
        "languages": list(title),
        "delivery": delivery,
        "licence": rng.choice(("CC-BY-4.0", "CC-BY-SA-4.0", "proprietary")),
        "price": {"amount": rng.choice(("499.00", "1200.00", "49.00")) if paid else "0",
                  "currency": currency},
        "certificate_offered": rng.random() < 0.6,
        "competencies": [topic_tag(topic_en, level)],
        "version": f"{1 + index % 3}.{index % 5}",
    }
    return provider, _SCHEMA.load(content)


def _advance(course: Document, events: list[Document], target: str, reviewer: str,
             board_id: str) -> None:
    """Walk a new (submitted) course along the workflow to ``target`` with its audit events."""
    path = {"in_review": ("start_review",), "changes_requested": ("start_review",
                                                                  "request_changes"),
            "published": ("start_review", "publish")}.get(target, ())
    steps = {"start_review": ("submitted", "in_review"),
             "request_changes": ("in_review", "changes_requested"),
             "publish": ("in_review", "published")}
    for action in path:
        source, dest = steps[action]
        comment = "Please add Hindi subtitles to the videos." if action == "request_changes" \
            else None
        events.append(audit_event(course["id"], reviewer, board_id, source, dest, action,
                                  comment, 1, course["created_at"]))
    course["state"] = target
    if target == "published":
        course["live"] = copy.deepcopy(course["revision"])
        course["live_version"] = 1
        course["published_at"] = course["created_at"]


def load_demo(store: Store, seed: int = 2026) -> Document:
    """Load the demo organisations, credentials, courses and reviews; returns the demo
    credentials ``{"provider", "reviewer", "frac-reviewer", "frac-approver", "admin", "lms"}``
    (each with key and secret)."""
    rng = random.Random(seed)
    providers = [create_organisation(store, name, OrgKind.PROVIDER, country=country,
                                     contact=f"content@{domain}")
                 for name, country, domain, _, _ in PROVIDERS]
    board = create_organisation(store, REVIEW_BOARD, OrgKind.PLATFORM_ADMIN, country="IN")
    admin = create_organisation(store, ADMIN_ORG, OrgKind.PLATFORM_ADMIN, country="IN")
    lms = create_organisation(store, DEMO_LMS, OrgKind.LMS, country="IN")
    # The courses are tagged against the framework's published version: it comes first.
    framework = load_demo_framework(store, board["id"])
    credentials = {
        "provider": {**create_credential(store, providers[0]["id"],
                                         [Role.PUBLISHER, Role.LTI_MANAGER], "demo"),
                     "org": providers[0]["name"]},
        "reviewer": {**create_credential(store, board["id"], [Role.REVIEWER], "demo"),
                     "org": board["name"]},
        # The board owns the framework; its two review levels need two people (four eyes),
        # and the admin credential edits it.
        "frac-reviewer": {**create_credential(store, board["id"],
                                              [Role.FRAC_REVIEWER], "demo"),
                          "org": board["name"]},
        "frac-approver": {**create_credential(store, board["id"], [Role.FRAC_APPROVER],
                                              "demo"),
                          "org": board["name"]},
        "admin": {**create_credential(store, admin["id"], [Role.ADMIN], "demo"),
                  "org": admin["name"]},
        "lms": {**create_credential(store, lms["id"], [Role.LRS_WRITER, Role.LTI_MANAGER],
                                    "demo"),
                "org": lms["name"]},
    }
    for number, provider_org in enumerate(providers):
        store.lti_tools.add(demo_tool(number, provider_org["id"]))
    reviewer_key = credentials["reviewer"]["key"]
    total = len(TOPICS) * len(FORMATS)
    targets = [state for state, n in UNPUBLISHED for _ in range(n)]
    targets = ["published"] * (total - len(targets)) + targets
    rng.shuffle(targets)
    courses: list[Document] = []
    events: list[Document] = []
    for index in range(total):
        provider, content = course_content(index, rng)
        content["competencies"] = stored_tags(framework, content["competencies"])
        org_id = providers[provider]["id"]
        target = targets[index]
        course, course_events = new_course(org_id, content, "demo-import", org_id,
                                           submit=target != "draft", now=utcnow(),
                                           course_id=f"crs_demo{index:04d}")
        _advance(course, course_events, target, reviewer_key, board["id"])
        courses.append(course)
        events.extend(course_events)
    store.courses.add_many(courses, events)
    _rate(store, rng, [c for c in courses if c["state"] == "published"], lms["id"])
    return credentials


def _rate(store: Store, rng: random.Random, published: list[Document], lms_id: str) -> None:
    """Learner ratings on about half of the published courses, skewed to the good side."""
    texts = ("Clear and practical.", "Useful examples from the field.", None,
             "Too long for the content.", "Excellent case studies.")
    for course in published:
        if rng.random() < 0.5:
            continue
        for learner in range(rng.randint(1, 4)):
            now = utcnow()
            store.reviews.upsert({
                "course_id": course["id"], "learner_id": f"{lms_id}:learner-{learner:03d}",
                "org_id": lms_id, "rating": rng.choices((1, 2, 3, 4, 5), (1, 1, 3, 6, 5))[0],
                "text": rng.choice(texts), "created_at": now, "updated_at": now,
            })


def is_empty(store: Store) -> bool:
    """True when the store has no courses and no demo organisations (safe to load)."""
    return store.courses.count() == 0 and store.organisations.get_by_name(REVIEW_BOARD) is None
