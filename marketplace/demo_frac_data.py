"""The demo FRAC framework as plain data: what ``make run`` loads and what the labelled set of
competency suggestions is written against (FRAC_PLAN.md, "The demo framework").

Three areas, ten themes, forty sub-themes (the competencies a course is tagged with), four
positions with three roles each, two activities per role. Every entry is a dict keyed by its
code (CASE humanCodingScheme); parents, requirements and activities name codes, and
:func:`node_id` turns a code into the node's stable id, so nothing here depends on storage.
Text is a language map with "en" and "hi"; themes and sub-themes also have "ta", "bn" and "mr"
names, descriptions and keywords (``demo_frac_regional``). Sub-themes carry keywords and the
descriptions of the proficiency levels they define, en+hi (1 Basic ... 5 Ustad;
COMSUBTHEME-6, -21 and -40 stop at 4).
"""

from __future__ import annotations

import uuid
from typing import Any

from marketplace import (
    demo_frac_behavioural,
    demo_frac_domain,
    demo_frac_functional,
    demo_frac_regional,
)

#: Prefix of the URLs the demo ids are derived from (RFC 9562 §5.5, name-based UUID v5).
ID_BASE = "https://karmayogi.example/frac/"

Entry = dict[str, Any]


def node_id(code: str) -> str:
    """The stable id of the demo node with this code: uuid5 of its URL in the URL namespace."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, ID_BASE + code))


#: The framework itself; its id is derived like a node's, from the pseudo-code "framework".
FRAMEWORK: Entry = {
    "id": node_id("framework"),
    "title": {"en": "Karmayogi demo competency framework",
              "hi": "कर्मयोगी डेमो दक्षता ढाँचा"},
    "description": {
        "en": "Framework of Roles, Activities and Competencies (FRAC) for the demo catalogue: "
              "behavioural, functional and domain competencies of civil servants.",
        "hi": "डेमो सूची के लिए भूमिकाओं, गतिविधियों और दक्षताओं का ढाँचा (एफआरएसी): लोक "
              "सेवकों की व्यवहारिक, कार्यात्मक और क्षेत्रीय दक्षताएँ।"},
    "creator": "Karmayogi Hub demo review board",
}

#: area slug -> (code, name en, name hi, description en, description hi)
_AREAS = (
    ("behavioural", "COMAREA-1", "Behavioural competencies", "व्यवहारिक दक्षताएँ",
     "Attitudes and behaviours every civil servant needs, whatever the post.",
     "हर लोक सेवक के लिए आवश्यक दृष्टिकोण और व्यवहार, चाहे पद कोई भी हो।"),
    ("functional", "COMAREA-2", "Functional competencies", "कार्यात्मक दक्षताएँ",
     "Skills of the functions common to government offices: finance, procurement, "
     "administration and digital governance.",
     "सरकारी कार्यालयों के सामान्य कार्यों के कौशल: वित्त, खरीद, प्रशासन और डिजिटल शासन।"),
    ("domain", "COMAREA-3", "Domain competencies", "क्षेत्रीय दक्षताएँ",
     "Knowledge of the sectors a department serves, from public health to land records.",
     "विभाग जिन क्षेत्रों की सेवा करता है उनका ज्ञान, लोक स्वास्थ्य से भू-अभिलेख तक।"),
)

#: theme number -> (area slug, name en, name hi, description en, description hi)
_THEMES = (
    (1, "behavioural", "Ethics and Integrity", "नैतिकता और सत्यनिष्ठा",
     "Honest, lawful and transparent conduct in public office.",
     "सार्वजनिक पद पर ईमानदार, विधिसम्मत और पारदर्शी आचरण।"),
    (2, "behavioural", "Communication and Collaboration", "संचार और सहयोग",
     "Communicating clearly and working with others, in any language of the office.",
     "कार्यालय की किसी भी भाषा में स्पष्ट संचार और दूसरों के साथ मिलकर कार्य।"),
    (3, "behavioural", "Leadership and Personal Effectiveness",
     "नेतृत्व और व्यक्तिगत प्रभावशीलता",
     "Leading people, deciding well and staying effective under pressure.",
     "लोगों का नेतृत्व, सही निर्णय और दबाव में प्रभावी बने रहना।"),
    (4, "functional", "Financial Management", "वित्तीय प्रबंधन",
     "Budgeting, spending, accounting for and auditing public money.",
     "सार्वजनिक धन का बजट, व्यय, लेखांकन और लेखा परीक्षा।"),
    (5, "functional", "Procurement and Contracts", "खरीद और अनुबंध",
     "Buying goods, works and services fairly and managing the contracts.",
     "वस्तुओं, कार्यों और सेवाओं की निष्पक्ष खरीद और अनुबंधों का प्रबंधन।"),
    (6, "functional", "Office Management and Administration", "कार्यालय प्रबंधन और प्रशासन",
     "Running an office: files, drafting, projects and public grievances.",
     "कार्यालय का संचालन: फाइलें, प्रारूपण, परियोजनाएँ और लोक शिकायतें।"),
    (7, "functional", "Digital Governance", "डिजिटल शासन",
     "Using digital systems, data and new technology safely in government.",
     "शासन में डिजिटल प्रणालियों, डेटा और नई तकनीक का सुरक्षित उपयोग।"),
    (8, "domain", "Citizen Services and Social Sector", "नागरिक सेवाएँ और सामाजिक क्षेत्र",
     "Delivering services, health, welfare and education to citizens.",
     "नागरिकों तक सेवाएँ, स्वास्थ्य, कल्याण और शिक्षा पहुँचाना।"),
    (9, "domain", "Disaster Management and Environment", "आपदा प्रबंधन और पर्यावरण",
     "Reducing disaster risk, responding to emergencies and protecting the environment.",
     "आपदा जोखिम कम करना, आपात स्थितियों का सामना करना और पर्यावरण की रक्षा।"),
    (10, "domain", "Rural and Urban Development", "ग्रामीण और शहरी विकास",
     "Development schemes, land and local self-government in villages and cities.",
     "गाँवों और शहरों में विकास योजनाएँ, भूमि और स्थानीय स्वशासन।"),
)

#: position number -> (name en, name hi, description en, description hi)
_POSITIONS = (
    (1, "Section Officer", "अनुभाग अधिकारी",
     "Heads a section of a ministry: processes files, accounts and purchases.",
     "मंत्रालय के अनुभाग का प्रमुख: फाइलें, लेखे और खरीद संसाधित करता है।"),
    (2, "Deputy Secretary", "उप सचिव",
     "Heads a branch of a ministry: analyses policy, supervises sections, answers the public.",
     "मंत्रालय की शाखा का प्रमुख: नीति विश्लेषण, अनुभागों का पर्यवेक्षण, जनता को उत्तर।"),
    (3, "District Collector", "ज़िला कलेक्टर",
     "Heads the district administration: revenue, development and disaster management.",
     "ज़िला प्रशासन का प्रमुख: राजस्व, विकास और आपदा प्रबंधन।"),
    (4, "Chief Information Security Officer", "मुख्य सूचना सुरक्षा अधिकारी",
     "Heads information security, e-governance and data of an organisation.",
     "संगठन की सूचना सुरक्षा, ई-शासन और डेटा का प्रमुख।"),
)

#: role number -> (position, name en, name hi, description en, description hi,
#:                 ((sub-theme number, level), ...))
_ROLES = (
    (1, 1, "File processing and noting", "फाइल संसाधन और टिप्पण",
     "Examines receipts, puts up notes with the rules and precedents, and issues orders.",
     "आवतियों की जाँच करता है, नियमों और पूर्व उदाहरणों सहित टिप्पणी प्रस्तुत करता है और आदेश "
     "जारी करता है।",
     ((21, 2), (22, 2), (25, 2), (6, 1), (4, 1))),
    (2, 1, "Budget and accounts handling", "बजट और लेखा कार्य",
     "Prepares the section's budget, records expenditure in PFMS and reconciles accounts.",
     "अनुभाग का बजट तैयार करता है, पीएफएमएस में व्यय दर्ज करता है और लेखों का मिलान करता है।",
     ((13, 2), (14, 2), (15, 2), (16, 3))),
    (3, 1, "Procurement handling", "खरीद कार्य",
     "Buys what the office needs on GeM or by tender and follows the contracts through.",
     "कार्यालय की आवश्यकताओं की खरीद जेम या निविदा से करता है और अनुबंधों का पालन कराता है।",
     ((17, 2), (18, 3), (20, 2), (19, 1))),
    (4, 2, "Policy analysis", "नीति विश्लेषण",
     "Analyses evidence and options and drafts policy proposals for decision.",
     "साक्ष्य और विकल्पों का विश्लेषण करता है और निर्णय हेतु नीति प्रस्ताव तैयार करता है।",
     ((27, 3), (12, 3), (5, 3), (11, 2))),
    (5, 2, "Team supervision", "टीम पर्यवेक्षण",
     "Leads the sections of a branch, allocates work and looks after staff.",
     "शाखा के अनुभागों का नेतृत्व करता है, कार्य बाँटता है और कर्मचारियों का ध्यान रखता है।",
     ((9, 3), (7, 3), (10, 2), (8, 2), (2, 2))),
    (6, 2, "Public grievance officer", "लोक शिकायत अधिकारी",
     "Disposes of public grievances and RTI matters of the ministry on time.",
     "मंत्रालय की लोक शिकायतों और आरटीआई मामलों का समय पर निपटान करता है।",
     ((24, 3), (29, 3), (4, 2), (5, 2))),
    (7, 3, "Disaster management authority chair", "आपदा प्रबंधन प्राधिकरण अध्यक्ष",
     "Chairs the district disaster management authority: plans, warns and leads response.",
     "ज़िला आपदा प्रबंधन प्राधिकरण की अध्यक्षता: योजना, चेतावनी और प्रतिक्रिया का नेतृत्व।",
     ((33, 4), (34, 4), (35, 3), (12, 4))),
    (8, 3, "Revenue and land administration", "राजस्व और भूमि प्रशासन",
     "Keeps land records, decides revenue cases and works with panchayats.",
     "भू-अभिलेख रखता है, राजस्व मामलों का निर्णय करता है और पंचायतों के साथ कार्य करता है।",
     ((38, 3), (40, 3), (24, 2), (1, 3))),
    (9, 3, "Development scheme implementation", "विकास योजना क्रियान्वयन",
     "Implements and monitors rural, urban, welfare and health schemes in the district.",
     "ज़िले में ग्रामीण, शहरी, कल्याण और स्वास्थ्य योजनाओं का क्रियान्वयन और निगरानी करता है।",
     ((37, 3), (31, 3), (23, 3), (39, 2), (30, 2))),
    (10, 4, "Cyber security oversight", "साइबर सुरक्षा निरीक्षण",
     "Sets and audits security controls and leads incident response.",
     "सुरक्षा नियंत्रण तय करता है, उनका ऑडिट करता है और घटना प्रतिक्रिया का नेतृत्व करता है।",
     ((26, 4), (3, 2), (9, 3), (12, 3))),
    (11, 4, "e-Governance project lead", "ई-शासन परियोजना प्रमुख",
     "Leads digital projects from procurement to roll-out.",
     "खरीद से लागू होने तक डिजिटल परियोजनाओं का नेतृत्व करता है।",
     ((25, 4), (23, 4), (28, 3), (17, 2))),
    (12, 4, "Data and analytics lead", "डेटा और विश्लेषण प्रमुख",
     "Runs the organisation's data platform, analytics and AI use.",
     "संगठन के डेटा मंच, विश्लेषण और एआई उपयोग का संचालन करता है।",
     ((27, 4), (28, 3), (26, 2), (5, 3))),
)

#: activity number -> (role, name en, name hi, description en, description hi,
#:                     ((resource path, title en, title hi), ...)); two per role, in order
_ACTIVITIES = (
    (1, 1, "Put up a note on a receipt", "आवती पर टिप्पणी प्रस्तुत करना",
     "Examine a receipt and note the facts, rules and a proposal.",
     "आवती की जाँच कर तथ्य, नियम और प्रस्ताव लिखना।",
     (("csmop-noting", "Guide to noting in the secretariat", "सचिवालय में टिप्पण मार्गदर्शिका"),)),
    (2, 1, "Record and retain files", "फाइलों का अभिलेखन और प्रतिधारण",
     "Close files, classify them for retention and send them to the record room.",
     "फाइलें बंद कर प्रतिधारण हेतु वर्गीकृत करना और अभिलेख कक्ष भेजना।",
     (("record-retention", "Record retention schedule explained",
       "अभिलेख प्रतिधारण अनुसूची की व्याख्या"),
      ("eoffice-efile", "Working with e-files", "ई-फाइलों के साथ कार्य"))),
    (3, 2, "Prepare budget estimates", "बजट अनुमान तैयार करना",
     "Prepare the section's budget and revised estimates with justification.",
     "औचित्य सहित अनुभाग के बजट और संशोधित अनुमान तैयार करना।",
     (("budget-estimates", "Preparing budget estimates", "बजट अनुमान तैयार करना"),)),
    (4, 2, "Reconcile expenditure in PFMS", "पीएफएमएस में व्यय का मिलान",
     "Match the section's expenditure with the accounts office every month.",
     "हर माह अनुभाग के व्यय का लेखा कार्यालय से मिलान करना।",
     (("pfms-reconciliation", "Monthly reconciliation in PFMS", "पीएफएमएस में मासिक मिलान"),
      ("gfr-2017", "General Financial Rules at a glance", "सामान्य वित्तीय नियम एक नज़र में"))),
    (5, 3, "Buy on GeM", "जेम पर खरीद",
     "Place direct, L1 and bid orders on the Government e-Marketplace.",
     "सरकारी ई-मार्केटप्लेस पर प्रत्यक्ष, एल1 और बोली ऑर्डर देना।",
     (("gem-buyer", "GeM buyer's handbook", "जेम क्रेता पुस्तिका"),)),
    (6, 3, "Evaluate tenders", "निविदाओं का मूल्यांकन",
     "Open and evaluate bids as a member of the tender committee.",
     "निविदा समिति के सदस्य के रूप में बोलियाँ खोलना और उनका मूल्यांकन करना।",
     (("tender-evaluation", "Tender evaluation checklist", "निविदा मूल्यांकन जाँच सूची"),
      ("procurement-manual", "Manual for procurement of goods", "वस्तुओं की खरीद नियमावली"))),
    (7, 4, "Write a policy brief", "नीति संक्षेप लिखना",
     "Summarise the evidence and options on an issue for the minister.",
     "मंत्री के लिए किसी विषय पर साक्ष्य और विकल्पों का सार लिखना।",
     (("policy-brief", "Writing a policy brief", "नीति संक्षेप लेखन"),)),
    (8, 4, "Evaluate a scheme", "योजना का मूल्यांकन",
     "Commission and read an evaluation and propose changes to a scheme.",
     "मूल्यांकन करवाना, उसे पढ़ना और योजना में बदलाव प्रस्तावित करना।",
     (("scheme-evaluation", "Evaluating government schemes", "सरकारी योजनाओं का मूल्यांकन"),
      ("open-data", "Using open government data", "खुले सरकारी डेटा का उपयोग"))),
    (9, 5, "Allocate and review work", "कार्य आवंटन और समीक्षा",
     "Allocate work among sections and review pendency every week.",
     "अनुभागों में कार्य बाँटना और हर सप्ताह लंबित कार्य की समीक्षा करना।",
     (("pendency-review", "Reviewing pendency", "लंबित कार्य की समीक्षा"),)),
    (10, 5, "Write performance appraisals", "कार्य निष्पादन मूल्यांकन लिखना",
     "Record staff performance fairly in the APAR and discuss it with them.",
     "एपीएआर में कर्मचारियों का निष्पादन निष्पक्ष रूप से दर्ज करना और उनसे चर्चा करना।",
     (("apar-guide", "Writing a fair APAR", "निष्पक्ष एपीएआर लेखन"),)),
    (11, 6, "Dispose of grievances on CPGRAMS", "सीपीग्राम्स पर शिकायतों का निपटान",
     "Examine grievances and send reasoned replies within the time limit.",
     "शिकायतों की जाँच कर समय-सीमा में तर्कसंगत उत्तर भेजना।",
     (("cpgrams-officer", "CPGRAMS for grievance officers", "शिकायत अधिकारियों के लिए सीपीग्राम्स"),)),
    (12, 6, "Decide RTI first appeals", "आरटीआई प्रथम अपीलों का निर्णय",
     "Hear first appeals and pass reasoned orders under the RTI Act.",
     "प्रथम अपीलों की सुनवाई कर आरटीआई अधिनियम के अंतर्गत तर्कसंगत आदेश पारित करना।",
     (("rti-appeals", "Deciding RTI first appeals", "आरटीआई प्रथम अपीलों का निर्णय"),
      ("rti-exemptions", "Exemptions under section 8", "धारा 8 के अंतर्गत छूट"))),
    (13, 7, "Prepare the district disaster plan", "ज़िला आपदा योजना तैयार करना",
     "Update hazard maps, resources and responsibilities every year.",
     "हर वर्ष खतरा मानचित्र, संसाधन और दायित्व अद्यतन करना।",
     (("ddmp-guidelines", "NDMA guidelines for district plans",
       "ज़िला योजनाओं के लिए एनडीएमए दिशानिर्देश"),)),
    (14, 7, "Command the emergency response", "आपातकालीन प्रतिक्रिया का नेतृत्व",
     "Activate the emergency operation centre and the incident response system.",
     "आपातकालीन संचालन केंद्र और घटना प्रतिक्रिया प्रणाली को सक्रिय करना।",
     (("incident-response-system", "The incident response system",
       "घटना प्रतिक्रिया प्रणाली"),
      ("sdrf-norms", "Relief under SDRF norms", "एसडीआरएफ मानदंडों के अनुसार राहत"))),
    (15, 8, "Decide mutation cases", "नामांतरण मामलों का निर्णय",
     "Hear and decide disputed mutations and update the record of rights.",
     "विवादित नामांतरण की सुनवाई कर निर्णय करना और अधिकार अभिलेख अद्यतन करना।",
     (("mutation-procedure", "Mutation procedure", "नामांतरण प्रक्रिया"),)),
    (16, 8, "Modernise land records", "भू-अभिलेखों का आधुनिकीकरण",
     "Drive digitisation and survey of land records under DILRMP.",
     "डीआईएलआरएमपी के अंतर्गत भू-अभिलेखों का डिजिटलीकरण और सर्वेक्षण कराना।",
     (("dilrmp", "DILRMP in practice", "व्यवहार में डीआईएलआरएमपी"),)),
    (17, 9, "Review scheme progress", "योजना प्रगति की समीक्षा",
     "Review MGNREGA, housing and welfare schemes with block officers every month.",
     "हर माह प्रखंड अधिकारियों के साथ मनरेगा, आवास और कल्याण योजनाओं की समीक्षा करना।",
     (("mgnrega-review", "Reviewing MGNREGA works", "मनरेगा कार्यों की समीक्षा"),)),
    (18, 9, "Converge schemes in a village plan", "ग्राम योजना में योजनाओं का अभिसरण",
     "Bring schemes together in the gram panchayat development plan.",
     "ग्राम पंचायत विकास योजना में योजनाओं को एक साथ लाना।",
     (("gpdp-convergence", "Convergence through the GPDP",
       "ग्राम पंचायत विकास योजना से अभिसरण"),
      ("social-audit", "Social audit of schemes", "योजनाओं का सामाजिक अंकेक्षण"))),
    (19, 10, "Audit security controls", "सुरक्षा नियंत्रणों का ऑडिट",
     "Have systems audited against the security policy and close the gaps.",
     "सुरक्षा नीति के अनुसार प्रणालियों का ऑडिट कराना और कमियाँ दूर करना।",
     (("security-audit", "Security audit of government systems",
       "सरकारी प्रणालियों का सुरक्षा ऑडिट"),)),
    (20, 10, "Handle a cyber incident", "साइबर घटना का प्रबंधन",
     "Contain an incident, report it to CERT-In within six hours and recover.",
     "घटना को रोकना, छह घंटे में सर्ट-इन को सूचित करना और पुनर्स्थापना करना।",
     (("cert-in-directions", "CERT-In reporting directions", "सर्ट-इन सूचना निर्देश"),
      ("incident-playbook", "Cyber incident playbook", "साइबर घटना कार्य पुस्तिका"))),
    (21, 11, "Scope an e-governance project", "ई-शासन परियोजना का दायरा तय करना",
     "Write the requirements and the business case of a digital project.",
     "डिजिटल परियोजना की आवश्यकताएँ और व्यावसायिक औचित्य लिखना।",
     (("egov-dpr", "Detailed project reports for e-governance",
       "ई-शासन के लिए विस्तृत परियोजना रिपोर्ट"),)),
    (22, 11, "Roll out e-Office", "ई-ऑफिस लागू करना",
     "Move an organisation's files and workflows to e-Office.",
     "संगठन की फाइलें और कार्यप्रवाह ई-ऑफिस पर ले जाना।",
     (("eoffice-rollout", "e-Office roll-out guide", "ई-ऑफिस कार्यान्वयन मार्गदर्शिका"),)),
    (23, 12, "Build a monitoring dashboard", "निगरानी डैशबोर्ड बनाना",
     "Bring scheme data together in a dashboard for reviews.",
     "समीक्षा हेतु योजना डेटा को एक डैशबोर्ड में लाना।",
     (("dashboards", "Dashboards for programme monitoring",
       "कार्यक्रम निगरानी के लिए डैशबोर्ड"),)),
    (24, 12, "Assess an AI use case", "एआई उपयोग का आकलन",
     "Check an AI proposal for value, bias, privacy and security.",
     "एआई प्रस्ताव का मूल्य, पक्षपात, निजता और सुरक्षा के लिए आकलन करना।",
     (("responsible-ai", "Responsible AI for the public sector",
       "सार्वजनिक क्षेत्र के लिए ज़िम्मेदार एआई"),
      ("ai-procurement", "Buying AI systems", "एआई प्रणालियों की खरीद"))),
)

_RESOURCE_BASE = "https://learn.karmayogi.example/resources/"
_LEVEL_ROWS = (demo_frac_behavioural.ROWS, demo_frac_functional.ROWS, demo_frac_domain.ROWS)


def _text(en: str, hi: str) -> dict[str, str]:
    return {"en": en, "hi": hi}


AREAS: tuple[Entry, ...] = tuple(
    {"code": code, "type": "area", "area": slug, "parent": None,
     "name": _text(en, hi), "description": _text(den, dhi)}
    for slug, code, en, hi, den, dhi in _AREAS)

_AREA_CODE = {area["area"]: area["code"] for area in AREAS}

THEMES: tuple[Entry, ...] = tuple(
    {"code": f"COMTHEME-{n}", "type": "theme", "area": slug, "parent": _AREA_CODE[slug],
     "name": _text(en, hi), "description": _text(den, dhi)}
    for n, slug, en, hi, den, dhi in _THEMES)

_THEME_AREA = {n: slug for n, slug, *_ in _THEMES}

SUBTHEMES: tuple[Entry, ...] = tuple(
    {"code": f"COMSUBTHEME-{n}", "type": "subtheme", "area": _THEME_AREA[theme],
     "parent": f"COMTHEME-{theme}", "name": _text(*name), "description": _text(*description),
     "keywords": {"en": list(kw_en), "hi": list(kw_hi)},
     "levels": {str(level): _text(*text) for level, text in enumerate(levels, start=1)}}
    for rows in _LEVEL_ROWS
    for n, theme, name, description, kw_en, kw_hi, levels in rows)

# Tamil, Bengali and Marathi names, descriptions and keywords join the language maps.
THEMES = tuple(map(demo_frac_regional.merge, THEMES))
SUBTHEMES = tuple(map(demo_frac_regional.merge, SUBTHEMES))

POSITIONS: tuple[Entry, ...] = tuple(
    {"code": f"POS-{n}", "type": "position", "parent": None,
     "name": _text(en, hi), "description": _text(den, dhi)}
    for n, en, hi, den, dhi in _POSITIONS)

ROLES: tuple[Entry, ...] = tuple(
    {"code": f"ROLE-{n}", "type": "role", "parent": f"POS-{position}",
     "name": _text(en, hi), "description": _text(den, dhi),
     "requirements": [{"competency": f"COMSUBTHEME-{sub}", "level": level}
                      for sub, level in requirements]}
    for n, position, en, hi, den, dhi, requirements in _ROLES)

ACTIVITIES: tuple[Entry, ...] = tuple(
    {"code": f"ACT-{n}", "type": "activity", "parent": f"ROLE-{role}",
     "name": _text(en, hi), "description": _text(den, dhi),
     "resources": [{"url": _RESOURCE_BASE + path, "title": _text(ten, thi)}
                   for path, ten, thi in resources]}
    for n, role, en, hi, den, dhi, resources in _ACTIVITIES)

#: Every entry, parents before children (the order a loader can insert them in).
ENTRIES: tuple[Entry, ...] = AREAS + THEMES + SUBTHEMES + POSITIONS + ROLES + ACTIVITIES


def entry(code: str) -> Entry | None:
    """The demo entry with this code, or None."""
    return _BY_CODE.get(code)


_BY_CODE = {item["code"]: item for item in ENTRIES}

#: English topic of a demo course (marketplace.demo.TOPICS) -> number of the sub-theme it teaches.
TOPIC_SUBTHEMES: dict[str, int] = {
    "Public Financial Management": 13, "Government e-Marketplace Procurement": 18,
    "Right to Information Act": 4, "Office Noting and Drafting": 21,
    "Cyber Security Awareness": 26, "Disaster Risk Reduction": 33,
    "Citizen-Centric Service Delivery": 29, "Data-Driven Policy Making": 27,
    "Project Management in Government": 23, "Ethics and Integrity in Public Service": 1,
    "Gender Sensitisation at the Workplace": 8, "Rural Development Schemes": 37,
    "Public Procurement Rules": 17, "Digital Governance and e-Office": 25,
    "Stress Management for Officers": 10, "Effective Communication": 5,
    "Leadership and Team Building": 9, "Conduct Rules for Civil Servants": 2,
    "Urban Local Governance": 39, "Climate Change and Sustainable Development": 35,
    "Public Health Administration": 30, "Grievance Redressal Mechanisms": 24,
    "Budgeting and Outcome Monitoring": 14, "Contract Management": 19,
    "Artificial Intelligence for Public Servants": 28, "Official Language Policy": 6,
    "Land Records Modernisation": 38, "Vigilance and Anti-Corruption": 3,
    "Design Thinking for Public Services": 11, "Financial Rules and Audit": 15,
}
