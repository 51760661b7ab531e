"""The domain sub-themes of the demo FRAC framework (COMSUBTHEME-29 to -40), as raw tuples.

Plain data, no imports; the row shape is described in ``marketplace.demo_frac_behavioural``.
"""

ROWS = (
    (29, 8, ("Citizen-centric service delivery", "नागरिक-केंद्रित सेवा वितरण"),
     ("Designing and delivering public services around citizens' needs, with citizen's "
      "charters, service standards and single-window or doorstep delivery. Used in every "
      "office that serves the public.",
      "नागरिकों की ज़रूरतों के अनुसार लोक सेवाओं की रचना और वितरण, नागरिक चार्टर, सेवा मानकों और "
      "एकल खिड़की या द्वार पर सेवा के साथ। जनता को सेवा देने वाले हर कार्यालय में उपयोग होता है।"),
     ("citizen charter", "service delivery", "Sevottam", "single window", "Common Service "
      "Centre", "public service guarantee"),
     ("नागरिक चार्टर", "सेवा वितरण", "सेवोत्तम", "एकल खिड़की", "सामान्य सेवा केंद्र",
      "लोक सेवा गारंटी"),
     (("Treats citizens courteously and knows the service standards of the office.",
       "नागरिकों से शिष्टता से व्यवहार करता है और कार्यालय के सेवा मानक जानता है।"),
      ("Delivers services within the charter's time limits and explains the process.",
       "चार्टर की समय-सीमा में सेवाएँ देता है और प्रक्रिया समझाता है।"),
      ("Redesigns a service to cut steps, documents and visits.",
       "चरणों, दस्तावेज़ों और चक्करों को घटाने के लिए किसी सेवा की पुनर्रचना करता है।"),
      ("Leads service delivery reform across a district or department.",
       "ज़िले या विभाग में सेवा वितरण सुधार का नेतृत्व करता है।"),
      ("Shapes service standards and right-to-service laws for the state.",
       "राज्य के लिए सेवा मानक और सेवा के अधिकार कानून तैयार करता है।"))),
    (30, 8, ("Public health administration", "लोक स्वास्थ्य प्रशासन"),
     ("Administering public health programmes and facilities, including the National Health "
      "Mission and Ayushman Bharat, and responding to outbreaks. Used in health departments "
      "and district administration.",
      "राष्ट्रीय स्वास्थ्य मिशन और आयुष्मान भारत सहित लोक स्वास्थ्य कार्यक्रमों और सुविधाओं का "
      "प्रशासन तथा महामारी प्रकोप का सामना करना। स्वास्थ्य विभागों और ज़िला प्रशासन में उपयोग होता है।"),
     ("public health", "NHM", "Ayushman Bharat", "PM-JAY", "IDSP", "primary health centre",
      "immunisation"),
     ("लोक स्वास्थ्य", "राष्ट्रीय स्वास्थ्य मिशन", "आयुष्मान भारत", "पीएम-जय",
      "एकीकृत रोग निगरानी कार्यक्रम", "प्राथमिक स्वास्थ्य केंद्र", "टीकाकरण"),
     (("Knows the main national health programmes and their services.",
       "मुख्य राष्ट्रीय स्वास्थ्य कार्यक्रमों और उनकी सेवाओं को जानता है।"),
      ("Monitors health indicators and facility performance in an area.",
       "किसी क्षेत्र में स्वास्थ्य संकेतकों और सुविधाओं के प्रदर्शन की निगरानी करता है।"),
      ("Manages district health programmes and outbreak response.",
       "ज़िला स्वास्थ्य कार्यक्रमों और प्रकोप प्रतिक्रिया का प्रबंधन करता है।"),
      ("Leads a state health system and its financing.",
       "राज्य स्वास्थ्य प्रणाली और उसके वित्तपोषण का नेतृत्व करता है।"),
      ("Shapes national health policy and pandemic preparedness.",
       "राष्ट्रीय स्वास्थ्य नीति और महामारी तैयारी को दिशा देता है।"))),
    (31, 8, ("Social welfare schemes", "सामाजिक कल्याण योजनाएँ"),
     ("Implementing welfare schemes for women, children, the elderly, persons with "
      "disabilities and disadvantaged groups, with direct benefit transfer to beneficiaries. "
      "Used in social welfare, women and child development and district offices.",
      "महिलाओं, बच्चों, वृद्धों, दिव्यांगजनों और वंचित समूहों के लिए कल्याण योजनाओं का क्रियान्वयन, "
      "लाभार्थियों को प्रत्यक्ष लाभ अंतरण के साथ। समाज कल्याण, महिला एवं बाल विकास और ज़िला "
      "कार्यालयों में उपयोग होता है।"),
     ("social welfare", "DBT", "ICDS", "pension", "beneficiary", "NSAP", "social audit"),
     ("सामाजिक कल्याण", "प्रत्यक्ष लाभ अंतरण", "समेकित बाल विकास सेवा", "पेंशन", "लाभार्थी",
      "राष्ट्रीय सामाजिक सहायता कार्यक्रम", "सामाजिक अंकेक्षण"),
     (("Knows the main welfare schemes and who is eligible.",
       "मुख्य कल्याण योजनाओं और उनकी पात्रता को जानता है।"),
      ("Verifies beneficiaries and processes benefits through DBT.",
       "लाभार्थियों का सत्यापन करता है और प्रत्यक्ष लाभ अंतरण से लाभ देता है।"),
      ("Manages a scheme in a district and organises social audits.",
       "ज़िले में किसी योजना का प्रबंधन करता है और सामाजिक अंकेक्षण आयोजित करता है।"),
      ("Leads welfare programmes of a state and reduces exclusion errors.",
       "राज्य के कल्याण कार्यक्रमों का नेतृत्व करता है और बहिष्करण त्रुटियाँ कम करता है।"),
      ("Designs national social protection policy.",
       "राष्ट्रीय सामाजिक सुरक्षा नीति तैयार करता है।"))),
    (32, 8, ("Education administration", "शिक्षा प्रशासन"),
     ("Administering schools and education programmes such as Samagra Shiksha and PM POSHAN "
      "under the National Education Policy, with data from UDISE+. Used in education "
      "departments and district offices.",
      "राष्ट्रीय शिक्षा नीति के अंतर्गत विद्यालयों और समग्र शिक्षा तथा पीएम पोषण जैसे शिक्षा कार्यक्रमों "
      "का प्रशासन, यूडाइस+ के आँकड़ों के साथ। शिक्षा विभागों और ज़िला कार्यालयों में उपयोग होता है।"),
     ("education", "NEP 2020", "Samagra Shiksha", "PM POSHAN", "UDISE+", "RTE Act"),
     ("शिक्षा", "राष्ट्रीय शिक्षा नीति 2020", "समग्र शिक्षा", "पीएम पोषण", "यूडाइस+",
      "शिक्षा का अधिकार अधिनियम"),
     (("Knows the structure of school education and the main schemes.",
       "विद्यालयी शिक्षा की संरचना और मुख्य योजनाओं को जानता है।"),
      ("Inspects schools and monitors enrolment and learning data.",
       "विद्यालयों का निरीक्षण करता है और नामांकन तथा अधिगम आँकड़ों की निगरानी करता है।"),
      ("Plans district education programmes and teacher deployment.",
       "ज़िला शिक्षा कार्यक्रमों और शिक्षकों की तैनाती की योजना बनाता है।"),
      ("Leads education reform of a state under NEP 2020.",
       "राष्ट्रीय शिक्षा नीति 2020 के अंतर्गत राज्य के शिक्षा सुधार का नेतृत्व करता है।"),
      ("Shapes national education policy and its financing.",
       "राष्ट्रीय शिक्षा नीति और उसके वित्तपोषण को दिशा देता है।"))),
    (33, 9, ("Disaster risk reduction", "आपदा जोखिम न्यूनीकरण"),
     ("Assessing hazards and vulnerability and reducing disaster risk through plans, "
      "early warning and resilient infrastructure, under the Disaster Management Act, 2005, "
      "NDMA guidelines and the Sendai Framework. Used in district and state disaster "
      "management authorities.",
      "योजनाओं, पूर्व चेतावनी और आपदा-रोधी अवसंरचना के माध्यम से खतरों और संवेदनशीलता का आकलन "
      "और आपदा जोखिम कम करना, आपदा प्रबंधन अधिनियम, 2005, एनडीएमए दिशानिर्देशों और सेंडाई "
      "फ्रेमवर्क के अंतर्गत। ज़िला और राज्य आपदा प्रबंधन प्राधिकरणों में उपयोग होता है।"),
     ("disaster risk reduction", "NDMA", "Sendai Framework", "hazard", "vulnerability",
      "early warning", "DDMA"),
     ("आपदा जोखिम न्यूनीकरण", "राष्ट्रीय आपदा प्रबंधन प्राधिकरण", "सेंडाई फ्रेमवर्क", "खतरा",
      "संवेदनशीलता", "पूर्व चेतावनी", "ज़िला आपदा प्रबंधन प्राधिकरण"),
     (("Knows the hazards of the area and the disaster management structure.",
       "क्षेत्र के खतरों और आपदा प्रबंधन संरचना को जानता है।"),
      ("Prepares a departmental disaster management plan.",
       "विभागीय आपदा प्रबंधन योजना तैयार करता है।"),
      ("Prepares a district plan with hazard and vulnerability maps.",
       "खतरा और संवेदनशीलता मानचित्रों के साथ ज़िला योजना तैयार करता है।"),
      ("Leads risk reduction of a state and builds resilient infrastructure.",
       "राज्य के जोखिम न्यूनीकरण का नेतृत्व करता है और आपदा-रोधी अवसंरचना बनाता है।"),
      ("Shapes national disaster risk policy and international cooperation.",
       "राष्ट्रीय आपदा जोखिम नीति और अंतरराष्ट्रीय सहयोग को दिशा देता है।"))),
    (34, 9, ("Emergency response and relief", "आपातकालीन प्रतिक्रिया और राहत"),
     ("Responding to disasters with the incident response system: search and rescue, relief "
      "camps and relief under SDRF norms, with the NDRF. Used in emergency operation centres "
      "and district administration.",
      "घटना प्रतिक्रिया प्रणाली से आपदाओं का सामना करना: खोज और बचाव, राहत शिविर तथा एसडीआरएफ "
      "मानदंडों के अनुसार राहत, एनडीआरएफ के साथ। आपातकालीन संचालन केंद्रों और ज़िला प्रशासन में "
      "उपयोग होता है।"),
     ("emergency response", "relief", "NDRF", "SDRF", "incident response system", "EOC",
      "evacuation"),
     ("आपातकालीन प्रतिक्रिया", "राहत", "राष्ट्रीय आपदा मोचन बल", "राज्य आपदा मोचन निधि",
      "घटना प्रतिक्रिया प्रणाली", "आपातकालीन संचालन केंद्र", "निकासी"),
     (("Knows one's duty in an emergency and the reporting chain.",
       "आपात स्थिति में अपना कर्तव्य और सूचना श्रृंखला जानता है।"),
      ("Runs a relief camp or a desk of the emergency operation centre.",
       "राहत शिविर या आपातकालीन संचालन केंद्र की एक डेस्क संभालता है।"),
      ("Acts as incident commander for a district-level event.",
       "ज़िला स्तर की घटना में घटना कमांडर के रूप में कार्य करता है।"),
      ("Coordinates state-wide response with the NDRF and the armed forces.",
       "एनडीआरएफ और सशस्त्र बलों के साथ राज्यव्यापी प्रतिक्रिया का समन्वय करता है।"),
      ("Leads national response to major disasters.",
       "बड़ी आपदाओं में राष्ट्रीय प्रतिक्रिया का नेतृत्व करता है।"))),
    (35, 9, ("Climate change and sustainable development",
             "जलवायु परिवर्तन और सतत विकास"),
     ("Integrating climate adaptation, mitigation and the Sustainable Development Goals into "
      "plans and schemes, under the national and state action plans on climate change and "
      "Mission LiFE. Used in planning, environment and sectoral departments.",
      "जलवायु परिवर्तन पर राष्ट्रीय और राज्य कार्य योजनाओं तथा मिशन लाइफ़ के अंतर्गत जलवायु अनुकूलन, "
      "शमन और सतत विकास लक्ष्यों को योजनाओं में शामिल करना। योजना, पर्यावरण और क्षेत्रीय विभागों में "
      "उपयोग होता है।"),
     ("climate change", "SDG", "NAPCC", "Mission LiFE", "adaptation", "mitigation",
      "net zero"),
     ("जलवायु परिवर्तन", "सतत विकास लक्ष्य", "जलवायु परिवर्तन पर राष्ट्रीय कार्य योजना",
      "मिशन लाइफ़", "अनुकूलन", "शमन", "शुद्ध शून्य"),
     (("Knows the basics of climate change and the SDGs.",
       "जलवायु परिवर्तन और सतत विकास लक्ष्यों की मूल बातें जानता है।"),
      ("Adopts sustainable practices in the office and reports on SDG indicators.",
       "कार्यालय में सतत पद्धतियाँ अपनाता है और सतत विकास संकेतकों पर रिपोर्ट देता है।"),
      ("Screens schemes for climate risk and designs adaptation measures.",
       "योजनाओं में जलवायु जोखिम की जाँच करता है और अनुकूलन उपाय तैयार करता है।"),
      ("Leads a state action plan on climate change.",
       "जलवायु परिवर्तन पर राज्य कार्य योजना का नेतृत्व करता है।"),
      ("Negotiates and shapes national climate policy.",
       "राष्ट्रीय जलवायु नीति पर वार्ता करता है और उसे दिशा देता है।"))),
    (36, 9, ("Environmental regulation", "पर्यावरण विनियमन"),
     ("Applying environmental laws: environmental impact assessment, consents under the "
      "water and air acts, forest clearance and pollution control. Used in pollution control "
      "boards, forest and environment departments.",
      "पर्यावरण कानूनों को लागू करना: पर्यावरण प्रभाव आकलन, जल और वायु अधिनियमों के अंतर्गत "
      "सहमति, वन स्वीकृति और प्रदूषण नियंत्रण। प्रदूषण नियंत्रण बोर्डों, वन और पर्यावरण विभागों में "
      "उपयोग होता है।"),
     ("environment", "EIA", "pollution control", "forest clearance", "CPCB", "PARIVESH",
      "NGT"),
     ("पर्यावरण", "पर्यावरण प्रभाव आकलन", "प्रदूषण नियंत्रण", "वन स्वीकृति",
      "केंद्रीय प्रदूषण नियंत्रण बोर्ड", "परिवेश", "राष्ट्रीय हरित अधिकरण"),
     (("Knows the main environmental laws and clearances.",
       "मुख्य पर्यावरण कानूनों और स्वीकृतियों को जानता है।"),
      ("Processes consent and clearance applications on PARIVESH.",
       "परिवेश पोर्टल पर सहमति और स्वीकृति आवेदनों का निपटान करता है।"),
      ("Appraises EIA reports and enforces conditions of clearance.",
       "पर्यावरण प्रभाव आकलन रिपोर्टों का मूल्यांकन करता है और स्वीकृति की शर्तें लागू कराता है।"),
      ("Heads an environmental regulator and defends cases before the NGT.",
       "पर्यावरण नियामक का नेतृत्व करता है और राष्ट्रीय हरित अधिकरण में मामलों का पक्ष रखता है।"),
      ("Drafts environmental law and national standards.",
       "पर्यावरण कानून और राष्ट्रीय मानकों का प्रारूप तैयार करता है।"))),
    (37, 10, ("Rural development schemes", "ग्रामीण विकास योजनाएँ"),
     ("Implementing rural development programmes such as MGNREGA, PMAY-G, NRLM and PMGSY, "
      "from planning to social audit. Used in blocks, district rural development agencies "
      "and rural development departments.",
      "मनरेगा, पीएमएवाई-जी, एनआरएलएम और पीएमजीएसवाई जैसे ग्रामीण विकास कार्यक्रमों का योजना से "
      "सामाजिक अंकेक्षण तक क्रियान्वयन। प्रखंडों, ज़िला ग्रामीण विकास एजेंसियों और ग्रामीण विकास "
      "विभागों में उपयोग होता है।"),
     ("MGNREGA", "PMAY-G", "NRLM", "PMGSY", "rural development", "DRDA", "self-help group"),
     ("मनरेगा", "प्रधानमंत्री आवास योजना-ग्रामीण", "राष्ट्रीय ग्रामीण आजीविका मिशन",
      "प्रधानमंत्री ग्राम सड़क योजना", "ग्रामीण विकास", "ज़िला ग्रामीण विकास एजेंसी", "स्वयं सहायता समूह"),
     (("Knows the main rural development schemes and their entitlements.",
       "मुख्य ग्रामीण विकास योजनाओं और उनके अधिकारों को जानता है।"),
      ("Processes works, muster rolls and payments of a scheme at block level.",
       "प्रखंड स्तर पर योजना के कार्य, मस्टर रोल और भुगतान संसाधित करता है।"),
      ("Plans and monitors rural schemes in a district and converges them.",
       "ज़िले में ग्रामीण योजनाओं की योजना और निगरानी करता है और उनका अभिसरण करता है।"),
      ("Leads rural development programmes of a state.",
       "राज्य के ग्रामीण विकास कार्यक्रमों का नेतृत्व करता है।"),
      ("Designs national rural development policy.",
       "राष्ट्रीय ग्रामीण विकास नीति तैयार करता है।"))),
    (38, 10, ("Land records and survey", "भू-अभिलेख और सर्वेक्षण"),
     ("Maintaining and updating land records, mutation and survey, and modernising them "
      "under DILRMP and SVAMITVA. Used in revenue offices, tehsils and survey departments.",
      "भू-अभिलेखों, नामांतरण और सर्वेक्षण का रखरखाव और अद्यतन तथा डीआईएलआरएमपी और स्वामित्व के "
      "अंतर्गत उनका आधुनिकीकरण। राजस्व कार्यालयों, तहसीलों और सर्वेक्षण विभागों में उपयोग होता है।"),
     ("land records", "DILRMP", "SVAMITVA", "mutation", "cadastral survey", "ULPIN",
      "record of rights"),
     ("भू-अभिलेख", "डिजिटल भारत भू-अभिलेख आधुनिकीकरण कार्यक्रम", "स्वामित्व", "नामांतरण",
      "भूकर सर्वेक्षण", "भू-आधार", "अधिकार अभिलेख"),
     (("Knows the land records of the state and reads a record of rights.",
       "राज्य के भू-अभिलेखों को जानता है और अधिकार अभिलेख पढ़ता है।"),
      ("Processes mutations and updates digital land records.",
       "नामांतरण संसाधित करता है और डिजिटल भू-अभिलेख अद्यतन करता है।"),
      ("Supervises surveys and resolves land record disputes.",
       "सर्वेक्षणों की देखरेख करता है और भू-अभिलेख विवाद सुलझाता है।"),
      ("Leads land records modernisation of a district or state.",
       "ज़िले या राज्य के भू-अभिलेख आधुनिकीकरण का नेतृत्व करता है।"),
      ("Shapes national land records and titling policy.",
       "राष्ट्रीय भू-अभिलेख और स्वामित्व नीति को दिशा देता है।"))),
    (39, 10, ("Urban local governance", "शहरी स्थानीय शासन"),
     ("Governing cities through municipalities under the 74th Amendment: municipal finance, "
      "services and missions such as AMRUT, Smart Cities and Swachh Bharat (Urban). Used in "
      "urban local bodies and urban development departments.",
      "74वें संशोधन के अंतर्गत नगरपालिकाओं के माध्यम से शहरों का शासन: नगरपालिका वित्त, सेवाएँ और "
      "अमृत, स्मार्ट सिटी और स्वच्छ भारत (शहरी) जैसे मिशन। शहरी स्थानीय निकायों और शहरी विकास "
      "विभागों में उपयोग होता है।"),
     ("urban local bodies", "municipality", "AMRUT", "Smart Cities", "Swachh Bharat",
      "74th Amendment", "property tax"),
     ("शहरी स्थानीय निकाय", "नगरपालिका", "अमृत", "स्मार्ट सिटी", "स्वच्छ भारत",
      "74वाँ संशोधन", "संपत्ति कर"),
     (("Knows the structure and functions of urban local bodies.",
       "शहरी स्थानीय निकायों की संरचना और कार्य जानता है।"),
      ("Handles municipal services such as licences, taxes and sanitation.",
       "लाइसेंस, कर और स्वच्छता जैसी नगरपालिका सेवाएँ संभालता है।"),
      ("Manages a municipal body's finances and urban missions.",
       "नगर निकाय के वित्त और शहरी मिशनों का प्रबंधन करता है।"),
      ("Leads urban development of a state.",
       "राज्य के शहरी विकास का नेतृत्व करता है।"),
      ("Shapes national urban policy.",
       "राष्ट्रीय शहरी नीति को दिशा देता है।"))),
    (40, 10, ("Panchayati Raj institutions", "पंचायती राज संस्थाएँ"),
     ("Working with gram panchayats and other rural local bodies under the 73rd Amendment: "
      "gram sabhas, the Gram Panchayat Development Plan and devolution of funds. Used in "
      "panchayat raj departments, blocks and districts.",
      "73वें संशोधन के अंतर्गत ग्राम पंचायतों और अन्य ग्रामीण स्थानीय निकायों के साथ कार्य: ग्राम "
      "सभाएँ, ग्राम पंचायत विकास योजना और निधियों का हस्तांतरण। पंचायती राज विभागों, प्रखंडों और "
      "ज़िलों में उपयोग होता है।"),
     ("Panchayati Raj", "gram panchayat", "gram sabha", "GPDP", "73rd Amendment",
      "eGramSwaraj", "devolution"),
     ("पंचायती राज", "ग्राम पंचायत", "ग्राम सभा", "ग्राम पंचायत विकास योजना", "73वाँ संशोधन",
      "ई-ग्रामस्वराज", "हस्तांतरण"),
     (("Knows the three tiers of Panchayati Raj and their functions.",
       "पंचायती राज के तीन स्तरों और उनके कार्यों को जानता है।"),
      ("Supports gram sabhas and panchayat accounts on eGramSwaraj.",
       "ग्राम सभाओं और ई-ग्रामस्वराज पर पंचायत लेखों में सहायता करता है।"),
      ("Guides panchayats in preparing development plans and audits them.",
       "पंचायतों को विकास योजनाएँ बनाने में मार्गदर्शन देता है और उनका अंकेक्षण करता है।"),
      ("Leads devolution of funds, functions and functionaries in a state.",
       "राज्य में निधियों, कार्यों और कार्मिकों के हस्तांतरण का नेतृत्व करता है।"))),
)
