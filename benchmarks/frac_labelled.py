"""A labelled set of course descriptions for measuring competency suggestions.

Catalogue-style descriptions (1-3 sentences) of courses a civil-service training institute
offers, each labelled with the competencies of the demo framework (``COMSUBTHEME-n``,
marketplace/demo_frac_data.py) that it teaches. Most courses span two or three competencies,
as real catalogue courses do, and every one of them is labelled.

Items marked ``paraphrase`` share no keyword with the name of any competency they are labelled
with, in their own language (tests/marketplace/test_frac_labelled.py checks it): they measure
whether the model matches meaning through descriptions, keywords and level descriptions rather
than the competency's name. Written by hand without looking at model output.

Each item: ``(language, paraphrase, competency numbers, text)``.
"""

from __future__ import annotations

from typing import NamedTuple


class LabelledCourse(NamedTuple):
    """A course description and the codes of the competencies it teaches."""

    lang: str
    paraphrase: bool
    numbers: tuple[int, ...]
    text: str

    @property
    def codes(self) -> tuple[str, ...]:
        """The labels as competency codes of the demo framework."""
        return tuple(f"COMSUBTHEME-{n}" for n in self.numbers)


_ITEMS = (
    # en
    ('en', False, (1, 2, 3),
     'Ethics and Integrity in Public Service: a two-day workshop on ethical conduct, the '
     'CCS (Conduct) Rules and disciplinary proceedings, and how vigilance cases arise from'
     ' lapses of integrity.'),
    ('en', False, (3, 15, 17),
     'Preventive vigilance in procurement and accounts: red flags of corruption in tenders'
     ' and bills, CVC guidelines, audit observations and how procurement rules prevent '
     'favouritism.'),
    ('en', False, (4, 22, 24),
     'Right to Information Act for Public Information Officers: disposing of RTI '
     'applications within 30 days, exemptions under Section 8, first appeals, suo motu '
     'disclosure from well-kept records, and how RTI requests differ from public '
     'grievances.'),
    ('en', False, (5, 7, 9),
     'Effective communication for team leaders: writing clear emails, presenting to senior'
     ' management, active listening, and keeping a team motivated through regular '
     'feedback.'),
    ('en', False, (6, 21),
     'Official Language Policy in practice: the Official Languages Act 1963, Rajbhasha '
     'rules, bilingual noting and drafting, and the quarterly progress report on the use '
     'of Hindi.'),
    ('en', False, (7, 12, 5),
     'Collaboration across ministries: working in inter-departmental teams, running joint '
     'committees, communicating positions and reaching group decisions when mandates '
     'overlap.'),
    ('en', False, (8, 2),
     'Gender Sensitisation at the Workplace: the POSH Act 2013, the Internal Committee, '
     'the conduct rules on sexual harassment, and building an inclusive office for women '
     'and persons with disabilities.'),
    ('en', False, (9, 7, 10),
     'Leadership and Team Building: motivating a team, delegating work, building trust and'
     ' collaboration, and preventing burnout and stress in your section.'),
    ('en', False, (10,),
     'Stress Management for Officers: recognising stress, yoga and breathing routines, '
     'work-life balance and the wellbeing resources available to government employees.'),
    ('en', False, (11, 29, 23),
     'Design Thinking for Public Services: empathy interviews with citizens, prototyping a'
     ' better service, and piloting innovations as small projects in a district office.'),
    ('en', False, (12, 27),
     'Decision making under uncertainty: structured decision techniques, weighing evidence'
     ' and risk, and using data analysis to choose between policy options.'),
    ('en', False, (13, 14, 16),
     'Public Financial Management: the budget cycle, treasury operations, cash management,'
     ' government accounts and outcome budgeting in central ministries.'),
    ('en', False, (14, 27, 13),
     'Budgeting and Outcome Monitoring: preparing the outcome budget, defining output and '
     'outcome indicators, tracking them on dashboards and linking expenditure to results.'),
    ('en', False, (15, 16, 13),
     'Financial Rules and Audit: General Financial Rules 2017, delegation of financial '
     'powers, replying to audit paras, internal audit and a refresher on government '
     'accounting.'),
    ('en', False, (16, 15),
     'Government Accounting for Drawing and Disbursing Officers: the cash book, bills, '
     'classification of expenditure under heads of account, reconciliation with the Pay '
     'and Accounts Office and audit objections.'),
    ('en', False, (17, 20, 19),
     'Public Procurement Rules: GFR chapter 6, modes of procurement, the Manual for '
     'Procurement of Goods, evaluation of bids and award of contract.'),
    ('en', False, (18, 17, 20),
     'Government e-Marketplace (GeM) Procurement: registering as a buyer, direct purchase,'
     ' L1 purchase, bids and reverse auction on GeM within the procurement rules, and '
     'evaluating bids online.'),
    ('en', False, (19, 20, 17),
     'Contract Management: drafting contract clauses, performance security, liquidated '
     'damages, variations, and closing contracts after tender award under the procurement '
     'manual.'),
    ('en', False, (20, 17),
     'Tender evaluation committees: technical and financial evaluation of bids, the two-'
     'bid system, QCBS and recording evaluation minutes in line with public procurement '
     'rules.'),
    ('en', False, (21, 22, 6),
     'Office Noting and Drafting: writing notes on files, drafting letters, office '
     'memoranda and demi-official letters under the Central Secretariat Manual of Office '
     'Procedure, in Hindi and English.'),
    ('en', False, (22, 25, 4),
     'File and records management: opening files, the file register, record retention '
     'schedules, weeding out old records, digitising them in e-Office and finding them '
     'quickly for RTI replies.'),
    ('en', False, (23, 19, 14),
     'Project Management in Government: project charters, work breakdown, scheduling, '
     'monitoring progress and budgets, and managing vendor contracts.'),
    ('en', False, (24, 29, 27),
     'Grievance Redressal Mechanisms: CPGRAMS, timelines for disposal, appeals and using '
     'grievance data to improve citizen services.'),
    ('en', False, (25, 22, 21),
     'Digital Governance and e-Office: creating e-files, digital signatures, electronic '
     'noting, movement of files and the e-Office records module.'),
    ('en', False, (26, 25),
     'Cyber Security Awareness: phishing, strong passwords, securing official devices and '
     'e-Office accounts, and reporting incidents to CERT-In.'),
    ('en', False, (27, 12, 14),
     'Data-Driven Policy Making: collecting administrative data, basic statistics, '
     'dashboards and using evidence to design, monitor and evaluate policy.'),
    ('en', False, (28, 25, 29),
     'Artificial Intelligence for Public Servants: what machine learning can and cannot '
     'do, chatbots for citizen queries and automating routine office workflows.'),
    ('en', False, (29, 24, 11),
     'Citizen-Centric Service Delivery: Sevottam, citizen charters, service standards, '
     "grievance handling and redesigning counters and portals around the citizen's needs."),
    ('en', False, (30, 34, 31),
     'Public Health Administration: the National Health Mission, running district '
     'hospitals and primary health centres, disease surveillance, outbreak response and '
     'health insurance schemes.'),
    ('en', False, (31, 37),
     'Social welfare schemes for field officers: old-age pensions, scholarships, the '
     'Public Distribution System, convergence with MGNREGA and identifying eligible '
     'beneficiaries for direct benefit transfer.'),
    ('en', False, (32, 31),
     'Education Administration: Samagra Shiksha, school inspection, teacher deployment, '
     'mid-day meals and monitoring learning outcomes in a district.'),
    ('en', False, (33, 34, 35),
     'Disaster Risk Reduction: the Sendai Framework, hazard and vulnerability mapping, '
     'district disaster management plans, early warning and response, and climate '
     'adaptation.'),
    ('en', False, (34, 33),
     'Emergency response and relief operations: the Incident Response System, relief '
     'camps, relief under SDRF norms and coordination with NDRF teams after a disaster.'),
    ('en', False, (35, 33, 36),
     'Climate Change and Sustainable Development: the Paris Agreement, the National Action'
     ' Plan on Climate Change, the SDGs, climate risk and environmental clearances.'),
    ('en', False, (36, 35),
     'Environmental regulation for officers: environmental impact assessment, consent to '
     'establish and operate, pollution control boards and the Environment Protection Act '
     '1986.'),
    ('en', False, (37, 40, 31),
     'Rural Development Schemes: MGNREGA, PMAY-Gramin, NRLM self-help groups and how gram '
     'panchayats plan and implement welfare schemes.'),
    ('en', False, (38, 25),
     'Land Records Modernisation: digitisation of records of rights, cadastral maps, '
     'resurvey with drones and the DILRMP online land records.'),
    ('en', False, (39, 29),
     'Urban Local Governance: municipal corporations and councils after the 74th '
     'Amendment, ward committees, property tax and urban service delivery.'),
    ('en', False, (40, 37),
     'Panchayati Raj institutions: the 73rd Amendment, the gram sabha, Gram Panchayat '
     'Development Plans and devolution of funds for rural development.'),
    ('en', False, (2, 1),
     'CCS (Conduct) Rules 1964 and CCS (CCA) Rules 1965: what a government servant may and'
     ' may not do, minor and major penalties, and the disciplinary inquiry procedure.'),
    ('en', False, (3, 2),
     'Handling vigilance cases: complaints, preliminary inquiry, sanction for prosecution,'
     ' suspension and the link between vigilance and disciplinary proceedings.'),
    ('en', False, (4, 29),
     'Transparency in public offices: proactive disclosure, citizen charters, publishing '
     'information on websites and the Right to Information portal.'),
    ('en', False, (5, 21),
     'Business writing and communication skills: plain language, structuring a note, '
     'writing minutes and communicating decisions effectively.'),
    ('en', False, (6, 5),
     'Rajbhasha Hindi workshop: Hindi typing with Unicode, glossaries of administrative '
     'terms, translation and communicating in the official language.'),
    ('en', False, (13, 16, 15),
     'Public finance for new officers: the Consolidated Fund, appropriation, grants, '
     'accounting of receipts and expenditure, and the role of the CAG audit.'),
    ('en', False, (18, 26),
     'Buying IT equipment on GeM safely: product specifications, OEM certificates and '
     'cyber security requirements for procured devices.'),
    ('en', False, (20, 19),
     'Evaluating tenders for works contracts: eligibility criteria, bid security, rate '
     'analysis, negotiation rules and preparing the contract agreement.'),
    ('en', False, (23, 27, 25),
     'Managing e-governance projects: from detailed project report to go-live, milestone '
     'tracking, data migration and adoption of digital workflows.'),
    ('en', False, (26, 28),
     'Securing AI systems in government: data privacy, cyber threats to machine learning '
     'models and safe use of generative AI tools.'),
    ('en', False, (27, 28),
     'Data analytics with spreadsheets and Python: cleaning data, visualisation, simple '
     'prediction models and automation of reports for evidence-based policy.'),
    ('en', False, (28, 11),
     'Automation and innovation in government: robotic process automation, AI use cases '
     'and innovation labs in ministries.'),
    ('en', False, (30, 27),
     'Health data for district administrators: HMIS, disease surveillance dashboards and '
     'evidence-based decisions in public health.'),
    ('en', False, (33, 39),
     'Urban flood risk reduction: drainage planning, hazard mapping and the role of '
     'municipal bodies in disaster preparedness.'),
    ('en', False, (34, 30),
     'Medical emergency response in disasters: triage, mass casualty management, hospital '
     'preparedness and relief coordination with health departments.'),
    ('en', False, (37, 38),
     'Rural development and land: watershed schemes, land records of beneficiaries, survey'
     ' of village lands and PMAY-G implementation.'),
    ('en', False, (38, 39),
     'Urban land records and property survey: property cards, GIS surveys of towns and '
     'their use by municipal authorities.'),
    ('en', False, (39, 14),
     'Municipal finance and budgeting: own-source revenue, municipal budgets and outcome '
     'indicators for urban services.'),
    ('en', False, (40, 24),
     'Gram Panchayat functioning: gram sabha meetings, social audit and redressal of '
     "villagers' complaints at the panchayat level."),
    ('en', False, (12, 9),
     'Decision making for leaders: judgment under pressure, consulting the team and taking'
     ' responsibility for decisions.'),
    ('en', False, (24, 5),
     'Handling public grievances with empathy: communication skills for front-desk staff '
     'and grievance officers.'),
    ('en', False, (8, 31),
     'Gender budgeting and inclusive welfare: schemes for women, gender-disaggregated data'
     ' and inclusion of marginalised groups.'),
    ('en', False, (22, 16),
     'Records of accounts: maintaining cash books, vouchers and account records, retention'
     ' periods and record rooms.'),
    # en paraphrases
    ('en', True, (10,),
     'Coping with pressure at work: sleep, exercise, mindfulness and spotting burnout '
     'early in yourself and colleagues.'),
    ('en', True, (1, 3),
     'Saying no to bribes: honesty in everyday official work, gifts from contractors and '
     'reporting graft you witness.'),
    ('en', True, (2,),
     'What a government servant may and may not do: penalties, suspension, charge sheets '
     'and inquiry officers explained.'),
    ('en', True, (4,),
     "Answering citizens' applications under the 2005 Act: the 30-day limit, exemptions, "
     'first appeals and penalties on PIOs.'),
    ('en', True, (5,),
     'Writing and speaking clearly: plain English emails, briefing a minister in five '
     'minutes and listening actively in meetings.'),
    ('en', True, (6,),
     'Hindi in government work: the 1963 Act, the Hindi glossary, bilingual forms and '
     'quarterly reports on its use.'),
    ('en', True, (7,),
     'Getting groups to work well: shared goals, trust across sections and resolving '
     'disputes between colleagues.'),
    ('en', True, (8,),
     'Equal treatment at the workplace for women and persons with disabilities: the POSH '
     'Act, reasonable accommodation and unconscious bias.'),
    ('en', True, (9, 7),
     'Getting the best out of your people: delegating, praising good work, coaching '
     'juniors and building trust in a section.'),
    ('en', True, (11,),
     'Solving problems the human-centred way: empathy interviews, rapid prototypes and '
     'testing new ideas with the people who use a service.'),
    ('en', True, (12,),
     'Choosing between options when facts are incomplete: weighing costs, consulting, and '
     'avoiding common biases of judgment.'),
    ('en', True, (13, 14),
     'How the Union government plans, spends and tracks money: the annual appropriation '
     'bill, grants, treasury and indicators of results.'),
    ('en', True, (15,),
     'GFR 2017 and the CAG: delegation of spending powers, sanctions, and answering '
     'inspection reports of the Accountant General.'),
    ('en', True, (16,),
     'Keeping the books for a drawing and disbursing office: cash book, vouchers, '
     'classification of expenditure and monthly reconciliation with the PAO.'),
    ('en', True, (17, 20),
     'Buying goods and works for the state: open, limited and single-source bids, the two-'
     'envelope system and choosing the lowest compliant offer.'),
    ('en', True, (18,),
     'Buying from the national online portal for ministries: seller catalogues, direct '
     'purchase up to the limit, L1 and reverse auction.'),
    ('en', True, (19,),
     'After the agreement is signed: performance guarantees, liquidated damages, '
     'variations and closing out vendor obligations.'),
    ('en', True, (20,),
     'Comparing bids fairly: technical scoring, QCBS, the lowest bidder and recording why '
     'offers are accepted or rejected.'),
    ('en', True, (21,),
     'Putting up a proposal on a file and preparing letters and office memoranda as the '
     'Manual of Office Procedure requires.'),
    ('en', True, (22,),
     'Keeping paper and electronic dossiers in order: registers, retention schedules, '
     'weeding and the archive room.'),
    ('en', True, (23,),
     'Planning and steering a scheme from start to finish: milestones, Gantt charts, risks'
     ' and progress reviews.'),
    ('en', True, (24,),
     'Handling complaints from the public: CPGRAMS, time limits for disposal, appeals and '
     'closing the loop with complainants.'),
    ('en', True, (25,),
     'Going paperless in the secretariat: e-files, e-sign, electronic movement of '
     'proposals and the knowledge management system.'),
    ('en', True, (26,),
     'Protecting your computer and email from hackers: phishing, malware, passwords and '
     'reporting incidents to CERT-In.'),
    ('en', True, (27,),
     'Using numbers to shape programmes: surveys, administrative statistics, dashboards '
     'and randomised trials.'),
    ('en', True, (28,),
     'Machine learning, chatbots and large language models in government: what they can '
     'do, their limits and where they save clerical effort.'),
    ('en', True, (29, 24),
     'Putting people first at the front desk: Sevottam standards, charters, waiting times,'
     ' feedback and handling complaints politely.'),
    ('en', True, (30,),
     'Running district hospitals and primary care centres: NHM, disease surveillance and '
     'vaccination drives.'),
    ('en', True, (31,),
     'Pensions, scholarships and subsidised rations: identifying eligible beneficiaries '
     'and paying them through direct benefit transfer.'),
    ('en', True, (32,),
     'Running schools in a district: inspections, teacher postings, mid-day meals and '
     'measuring what children learn.'),
    ('en', True, (33,),
     'Preparing before a cyclone or flood strikes: hazard maps, vulnerability, early '
     'warning and mitigation plans.'),
    ('en', True, (34,),
     'The first 72 hours after a flood or earthquake: search and rescue, camps, food and '
     'medical aid and the Incident Command System.'),
    ('en', True, (35,),
     'Global warming and the SDGs: the Paris Agreement, net zero, and adapting district '
     'plans to heatwaves.'),
    ('en', True, (36,),
     'Pollution control and green clearances: EIA, consent to operate, the Air and Water '
     'Acts and penalties on polluters.'),
    ('en', True, (37, 40),
     'Jobs and housing in villages: MGNREGA, PMAY-Gramin, self-help groups and the gram '
     "sabha's role."),
    ('en', True, (38,),
     'Who owns which plot: mutation of titles, cadastral maps, khasra and khatauni, and '
     'mapping villages with drones.'),
    ('en', True, (39,),
     'Running a city: municipal councils, ward committees, property tax and the 74th '
     'Amendment.'),
    ('en', True, (40,),
     'Village self-government: the 73rd Amendment, gram sabha meetings and devolving '
     'funds, functions and functionaries.'),
    ('en', True, (3, 15),
     'Catching fraud early: red flags in bills and tenders, CVC circulars and inspection '
     'findings of the Accountant General.'),
    ('en', True, (14,),
     'Linking money to results: output and result indicators, the annual plan for each '
     'scheme and quarterly reviews.'),
    # hi
    ('hi', False, (1, 2),
     'लोक सेवा में नैतिकता और सत्यनिष्ठा: आचरण नियम, हितों का टकराव और उपहार स्वीकार करने '
     'के नियमों पर दो दिवसीय कार्यशाला।'),
    ('hi', False, (3, 2),
     'निवारक सतर्कता: भ्रष्टाचार के संकेत पहचानना, मुख्य सतर्कता अधिकारी की भूमिका, '
     'शिकायतों की जांच और अनुशासनिक कार्यवाही से संबंध।'),
    ('hi', False, (4, 22),
     'सूचना का अधिकार अधिनियम 2005: आरटीआई आवेदनों का 30 दिनों में निपटान, धारा 8 की छूट, '
     'प्रथम अपील और अभिलेखों से स्वतः प्रकटीकरण।'),
    ('hi', False, (5, 7),
     'प्रभावी संप्रेषण: स्पष्ट पत्र और ईमेल लिखना, प्रस्तुतीकरण, सक्रिय रूप से सुनना और '
     'टीम में संवाद।'),
    ('hi', False, (6, 21),
     'राजभाषा नीति: राजभाषा अधिनियम 1963, राजभाषा नियम 1976, हिंदी में टिप्पण और मसौदा '
     'लेखन तथा तिमाही प्रगति रिपोर्ट।'),
    ('hi', False, (8, 2),
     'कार्यस्थल पर लैंगिक संवेदनशीलता: पॉश अधिनियम, आंतरिक समिति, आचरण नियम और महिलाओं व '
     'दिव्यांगजनों के लिए समावेशी कार्यालय।'),
    ('hi', False, (9, 7, 10),
     'नेतृत्व और टीम निर्माण: टीम को प्रेरित करना, कार्य सौंपना, सहयोग बढ़ाना और तनाव से '
     'बचाव।'),
    ('hi', False, (10,),
     'अधिकारियों के लिए तनाव प्रबंधन: योग, प्राणायाम, कार्य-जीवन संतुलन और मानसिक '
     'स्वास्थ्य।'),
    ('hi', False, (11, 29),
     'लोक सेवाओं के लिए डिज़ाइन थिंकिंग: नागरिकों से सहानुभूति साक्षात्कार, प्रोटोटाइप और '
     'नवाचार का परीक्षण।'),
    ('hi', False, (13, 14),
     'लोक वित्तीय प्रबंधन: बजट चक्र, कोषागार संचालन, नकदी प्रबंधन और परिणाम बजट।'),
    ('hi', False, (15, 16),
     'वित्तीय नियम और लेखापरीक्षा: सामान्य वित्तीय नियम 2017, वित्तीय शक्तियों का '
     'प्रत्यायोजन, लेखापरीक्षा आपत्तियों का उत्तर और सरकारी लेखे।'),
    ('hi', False, (17, 20),
     'लोक खरीद नियम: जीएफआर अध्याय 6, खरीद की पद्धतियाँ, बोलियों का मूल्यांकन और अनुबंध '
     'प्रदान करना।'),
    ('hi', False, (18, 17),
     'गवर्नमेंट ई-मार्केटप्लेस (जेम) पर खरीद: क्रेता पंजीकरण, सीधी खरीद, एल1 खरीद, बोली और'
     ' रिवर्स नीलामी।'),
    ('hi', False, (19, 20),
     'अनुबंध प्रबंधन: अनुबंध की शर्तें, कार्य निष्पादन प्रतिभूति, परिनिर्धारित हर्जाना और '
     'निविदा के बाद अनुबंध का समापन।'),
    ('hi', False, (21, 22),
     'कार्यालय टिप्पण और मसौदा लेखन: फाइल पर टिप्पणी लिखना, पत्र, कार्यालय ज्ञापन और '
     'अर्ध-शासकीय पत्र का मसौदा तैयार करना।'),
    ('hi', False, (23,),
     'सरकार में परियोजना प्रबंधन: परियोजना चार्टर, समय-सारणी, प्रगति की निगरानी और जोखिम '
     'प्रबंधन।'),
    ('hi', False, (24, 29),
     'लोक शिकायत निवारण: सीपीग्राम्स, निपटान की समय-सीमा, अपील और नागरिक सेवाओं में सुधार।'),
    ('hi', False, (25, 22),
     'ई-ऑफिस और डिजिटल कार्यप्रवाह: ई-फाइल बनाना, डिजिटल हस्ताक्षर और फाइलों का '
     'इलेक्ट्रॉनिक संचलन।'),
    ('hi', False, (26,),
     'साइबर सुरक्षा जागरूकता: फ़िशिंग, मजबूत पासवर्ड, सरकारी उपकरणों की सुरक्षा और सर्ट-इन'
     ' को घटनाओं की सूचना।'),
    ('hi', False, (27, 12),
     'डेटा आधारित नीति निर्माण: प्रशासनिक आंकड़े, डैशबोर्ड और साक्ष्य के आधार पर निर्णय '
     'लेना।'),
    ('hi', False, (28, 25),
     'लोक सेवकों के लिए कृत्रिम बुद्धिमत्ता: मशीन लर्निंग, चैटबॉट और कार्यालय के नियमित '
     'कार्यों का स्वचालन।'),
    ('hi', False, (33, 34),
     'आपदा जोखिम न्यूनीकरण: सेंडाई फ्रेमवर्क, जोखिम मानचित्रण, जिला आपदा प्रबंधन योजना और '
     'पूर्व चेतावनी।'),
    ('hi', False, (37, 40),
     'ग्रामीण विकास योजनाएं: मनरेगा, प्रधानमंत्री आवास योजना-ग्रामीण, स्वयं सहायता समूह और'
     ' ग्राम पंचायत की भूमिका।'),
    ('hi', False, (39,),
     'शहरी स्थानीय शासन: 74वां संशोधन, नगर निगम, वार्ड समितियां और संपत्ति कर।'),
    ('hi', False, (38,),
     'भू-अभिलेख आधुनिकीकरण: अधिकार अभिलेखों का डिजिटलीकरण, नक्शे और ड्रोन से पुनः '
     'सर्वेक्षण।'),
    ('hi', False, (30,),
     'लोक स्वास्थ्य प्रशासन: राष्ट्रीय स्वास्थ्य मिशन, जिला अस्पताल, प्राथमिक स्वास्थ्य '
     'केंद्र और रोग निगरानी।'),
    ('hi', False, (35, 36),
     'जलवायु परिवर्तन और सतत विकास: पेरिस समझौता, जलवायु परिवर्तन पर राष्ट्रीय कार्य '
     'योजना, सतत विकास लक्ष्य और पर्यावरण स्वीकृतियाँ।'),
    ('hi', False, (32, 31),
     'शिक्षा प्रशासन: समग्र शिक्षा, विद्यालय निरीक्षण, शिक्षकों की तैनाती और मध्याह्न भोजन'
     ' योजना।'),
    ('hi', False, (31,),
     'सामाजिक कल्याण योजनाएं: वृद्धावस्था पेंशन, छात्रवृत्ति, सार्वजनिक वितरण प्रणाली और '
     'प्रत्यक्ष लाभ अंतरण।'),
    ('hi', False, (40, 37),
     'पंचायती राज संस्थाएं: 73वां संशोधन, ग्राम सभा, ग्राम पंचायत विकास योजना और निधियों '
     'का हस्तांतरण।'),
    ('hi', False, (34, 30),
     'आपात प्रतिक्रिया और राहत: घटना प्रतिक्रिया प्रणाली, राहत शिविर, एसडीआरएफ मानदंड और '
     'चिकित्सा सहायता।'),
    ('hi', False, (36,),
     'पर्यावरण विनियमन: पर्यावरण प्रभाव आकलन, प्रदूषण नियंत्रण बोर्ड और पर्यावरण संरक्षण '
     'अधिनियम।'),
    # hi paraphrases
    ('hi', True, (10,),
     'काम के दबाव से निपटना: नींद, व्यायाम, ध्यान और थकान के शुरुआती लक्षण पहचानना।'),
    ('hi', True, (3,),
     'रिश्वत और घूसखोरी से बचाव: संदिग्ध लेन-देन पहचानना और शिकायत कहाँ करें।'),
    ('hi', True, (4,),
     'नागरिकों के आवेदनों का उत्तर 2005 के अधिनियम के अंतर्गत: तीस दिन की सीमा, छूट की '
     'धाराएँ और प्रथम अपील।'),
    ('hi', True, (18, 17),
     'मंत्रालयों के राष्ट्रीय ऑनलाइन पोर्टल से सामान मंगाना: विक्रेता सूची, एल1 और रिवर्स '
     'नीलामी।'),
    ('hi', True, (24,),
     'जनता की परेशानियों का समाधान: सीपीग्राम्स पोर्टल, निपटान की समय-सीमा और अपील।'),
    ('hi', True, (26,),
     'कंप्यूटर और ईमेल को हैकरों से बचाना: फ़िशिंग, मैलवेयर, पासवर्ड और सर्ट-इन को रिपोर्ट'
     ' करना।'),
    ('hi', True, (33, 34),
     'चक्रवात और बाढ़ से पहले की तैयारी तथा बाद में बचाव: खतरे के नक्शे, पूर्व चेतावनी, '
     'शिविर और भोजन वितरण।'),
    ('hi', True, (38,),
     'किसकी कौन सी ज़मीन: खसरा, खतौनी, नामांतरण और ड्रोन से गाँवों का नक्शा।'),
    ('hi', True, (40,),
     'गाँव की स्वशासन व्यवस्था: 73वां संशोधन, ग्राम सभा की बैठकें और निधियों, कार्यों व '
     'कर्मियों का हस्तांतरण।'),
    ('hi', True, (28,),
     'मशीन लर्निंग और चैटबॉट सरकार में: क्या कर सकते हैं, उनकी सीमाएँ और बाबूगिरी के कामों'
     ' में बचत।'),
    ('hi', True, (6,),
     'सरकारी कामकाज में हिंदी: 1963 का अधिनियम, शब्दावली, द्विभाषी प्रपत्र और तिमाही '
     'रिपोर्ट।'),
    ('hi', True, (16,),
     'आहरण एवं संवितरण कार्यालय की रोकड़ बही: वाउचर, व्यय का वर्गीकरण और पीएओ से मासिक '
     'मिलान।'),
    # mr
    ('mr', False, (1, 2),
     'सार्वजनिक सेवेतील नैतिकता आणि सचोटी: वर्तणूक नियम, हितसंबंधांचा संघर्ष आणि भेटवस्तू '
     'स्वीकारण्याचे नियम.'),
    ('mr', False, (4,),
     'माहितीचा अधिकार अधिनियम 2005: अर्जांचे 30 दिवसांत निराकरण, कलम 8 मधील सूट आणि प्रथम '
     'अपील.'),
    ('mr', False, (6, 21),
     'राजभाषा मराठी आणि हिंदी: शासकीय पत्रव्यवहार, टिप्पणी आणि मसुदा लेखन.'),
    ('mr', False, (10,),
     'अधिकाऱ्यांसाठी ताण व्यवस्थापन: योग, प्राणायाम आणि काम-जीवन संतुलन.'),
    ('mr', False, (13, 14),
     'सार्वजनिक वित्तीय व्यवस्थापन: अर्थसंकल्प चक्र, कोषागार आणि निष्पत्ती अर्थसंकल्प.'),
    ('mr', False, (18, 17),
     'जेम पोर्टलवरून खरेदी: खरेदीदार नोंदणी, थेट खरेदी, एल1 खरेदी आणि उलट लिलाव.'),
    ('mr', False, (21, 22),
     'कार्यालयीन टिप्पणी व मसुदा लेखन: नस्तीवर टिप्पणी लिहिणे, पत्रे आणि कार्यालयीन '
     'ज्ञापन.'),
    ('mr', False, (24, 29),
     'तक्रार निवारण यंत्रणा: आपले सरकार पोर्टल, तक्रारींचा निपटारा आणि नागरिक सेवा '
     'सुधारणा.'),
    ('mr', False, (25, 22),
     'ई-ऑफिस आणि डिजिटल कार्यपद्धती: ई-फाईल, डिजिटल स्वाक्षरी आणि नस्तींचे इलेक्ट्रॉनिक '
     'हस्तांतरण.'),
    ('mr', False, (26,),
     'सायबर सुरक्षा जागरूकता: फिशिंग, सुरक्षित पासवर्ड आणि शासकीय संगणकांची सुरक्षा.'),
    ('mr', False, (33, 34),
     'आपत्ती जोखीम न्यूनीकरण: धोका नकाशे, जिल्हा आपत्ती व्यवस्थापन आराखडा आणि पूर्वसूचना '
     'प्रणाली.'),
    ('mr', False, (37, 40),
     'ग्रामीण विकास योजना: मनरेगा, प्रधानमंत्री आवास योजना-ग्रामीण, बचत गट आणि '
     'ग्रामपंचायतीची भूमिका.'),
    ('mr', False, (38,),
     'भूमी अभिलेख आधुनिकीकरण: सातबारा उतारा, फेरफार नोंदी, नकाशे आणि ड्रोनद्वारे '
     'पुनर्मोजणी.'),
    ('mr', False, (39,),
     'नागरी स्थानिक स्वराज्य संस्था: 74 वी घटनादुरुस्ती, महानगरपालिका, प्रभाग समित्या आणि '
     'मालमत्ता कर.'),
    ('mr', False, (40, 37),
     'पंचायत राज संस्था: 73 वी घटनादुरुस्ती, ग्रामसभा आणि ग्रामपंचायत विकास आराखडा.'),
    ('mr', False, (30,),
     'सार्वजनिक आरोग्य प्रशासन: राष्ट्रीय आरोग्य अभियान, जिल्हा रुग्णालये आणि प्राथमिक '
     'आरोग्य केंद्रे.'),
    ('mr', False, (35,),
     'हवामान बदल आणि शाश्वत विकास: पॅरिस करार, शाश्वत विकास उद्दिष्टे आणि जिल्हा आराखड्यात'
     ' हवामान अनुकूलन.'),
    ('mr', False, (9, 7),
     'नेतृत्व आणि संघबांधणी: संघाला प्रेरणा देणे, कामाचे वाटप आणि परस्पर सहकार्य.'),
    # ta
    ('ta', False, (1, 3, 2),
     'பொதுச் சேவையில் நேர்மையும் நெறிமுறையும்: ஊழல் தடுப்பு, கண்காணிப்பு விழிப்புணர்வு '
     'மற்றும் நடத்தை விதிகள்.'),
    ('ta', False, (4,),
     'தகவல் அறியும் உரிமைச் சட்டம் 2005: RTI விண்ணப்பங்கள், 30 நாள் காலக்கெடு மற்றும் '
     'மேல்முறையீடு.'),
    ('ta', False, (10,),
     'அலுவலர்களுக்கான மன அழுத்த மேலாண்மை: யோகா, மூச்சுப் பயிற்சி மற்றும் வேலை-வாழ்க்கை '
     'சமநிலை.'),
    ('ta', False, (18, 17),
     'GeM தளத்தில் அரசு கொள்முதல்: வாங்குபவர் பதிவு, நேரடி கொள்முதல், L1 மற்றும் தலைகீழ் '
     'ஏலம்.'),
    ('ta', False, (21, 22),
     'அலுவலகக் குறிப்பு எழுதுதல் மற்றும் வரைவு: கோப்பில் குறிப்பு, கடிதங்கள் மற்றும் '
     'அலுவலக குறிப்பாணைகள்.'),
    ('ta', False, (25, 22),
     'e-Office மற்றும் மின்னணு கோப்புகள்: டிஜிட்டல் கையொப்பம் மற்றும் கோப்புகளின் மின்னணு '
     'நகர்வு.'),
    ('ta', False, (26,),
     'இணையப் பாதுகாப்பு விழிப்புணர்வு: ஃபிஷிங், வலுவான கடவுச்சொற்கள் மற்றும் CERT-In க்கு '
     'புகார் அளித்தல்.'),
    ('ta', False, (33, 34),
     'பேரிடர் அபாயக் குறைப்பு: புயல் மற்றும் வெள்ள முன்னெச்சரிக்கை, மாவட்ட பேரிடர் '
     'மேலாண்மைத் திட்டம் மற்றும் நிவாரண முகாம்கள்.'),
    ('ta', False, (37, 40),
     'ஊரக வளர்ச்சித் திட்டங்கள்: MGNREGA, PMAY-G, மகளிர் சுய உதவிக் குழுக்கள் மற்றும் '
     'கிராம ஊராட்சிகள்.'),
    ('ta', False, (24, 29),
     'பொதுமக்கள் குறைதீர்ப்பு: CPGRAMS, காலக்கெடு மற்றும் குடிமக்கள் சேவை மேம்பாடு.'),
    ('ta', False, (38,),
     'நில ஆவணங்கள் நவீனமயமாக்கல்: பட்டா, சிட்டா, நில அளவை மற்றும் டிஜிட்டல் வரைபடங்கள்.'),
    ('ta', False, (30,),
     'பொது சுகாதார நிர்வாகம்: தேசிய சுகாதார இயக்கம், மாவட்ட மருத்துவமனைகள் மற்றும் ஆரம்ப '
     'சுகாதார நிலையங்கள்.'),
    ('ta', False, (28, 25),
     'அரசு அலுவலர்களுக்கான செயற்கை நுண்ணறிவு: இயந்திரக் கற்றல், chatbot மற்றும் அலுவலகப் '
     'பணிகளின் தானியக்கம்.'),
    ('ta', False, (32, 31),
     'கல்வி நிர்வாகம்: சமக்ர சிக்ஷா, பள்ளி ஆய்வு, ஆசிரியர் நியமனம் மற்றும் மதிய உணவுத் '
     'திட்டம்.'),
    ('ta', False, (35, 36),
     'காலநிலை மாற்றம் மற்றும் நிலையான வளர்ச்சி: பாரிஸ் ஒப்பந்தம், SDG இலக்குகள் மற்றும் '
     'சுற்றுச்சூழல் அனுமதிகள்.'),
    ('ta', False, (15, 16),
     'நிதி விதிகள் மற்றும் தணிக்கை: GFR 2017, நிதி அதிகாரப் பகிர்வு, தணிக்கை ஆட்சேபனைகள் '
     'மற்றும் அரசு கணக்குகள்.'),
)

ITEMS: tuple[LabelledCourse, ...] = tuple(LabelledCourse(*item) for item in _ITEMS)
