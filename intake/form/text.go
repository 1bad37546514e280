package form

// texts is every string the form's pages show, in one language. Fields
// ending in F are fmt formats; ClosedF's and NotYetF's date ends the
// sentence and brings its own full stop (sentenceEnd), which a Lithuanian
// date ending "d." already has. CounterLeftF and CounterOverF are filled
// in the browser: {n} is the count, {max} the limit. A template naming a missing field fails,
// and a test checks that no field is empty in either language.
type texts struct {
	Lang                                             string // lt or en, for numbers
	OtherLangName, SkipLink, Home, AllConsultations  string
	ErrorTitlePrefix, ErrorSummaryTitle, ErrorPrefix string

	ListTitle, ListIntroF, ListNone, ListDeadlineF, ListAction string

	Required, DeadlineF, ClosedF, NotYetF, ClosedMore   string
	TextLabel, TextHintF, CounterLeftF, CounterOverF    string
	MeasureLabel, MeasureHint, MeasureUnknown           string
	NameLabel, NameHint, EmailLabel, EmailHint          string
	SectorLegend, SectorNone, SectorResident, SectorNGO string
	SectorBusiness, SectorPublic                        string
	FilesLabel, FilesHintF, FilesAgain                  string
	ConsentLabelF, ConsentHint, PrivacyTitle, Optional  string
	HoneypotLabel, Submit                               string

	TextEmpty, TextTooLongF, MeasureBad, NameLines, NameTooLongF string
	EmailBad, EmailLines, SectorBad, ConsentNeeded               string
	FilesTooManyF, FileTooBigF, FileEmptyF, FileTypeF            string

	TokenMissing, TokenInvalid, TokenExpired, NoCookie string
	Honeypot, TooFast, StoreFailed                     string

	ReceiptTitle, RefLabel, RefHint, ReceivedLabel, ConsultationLabel string
	ReceiptMeasure, ReceiptText, ReceiptFiles, ReceiptDeadline        string
	ReceiptResponse, LateNote, AckQueuedF, AckNoEmail, AckNotQueued   string
	PrintHint, Another                                                string

	NotFoundTitle, NotFoundText, ClosedTitle               string
	TooLargeTitle, TooLargeTextF, RateTitle, RateTextF     string
	BadRequestTitle, BadRequestText, StoreTitle, StoreText string
	ContactF                                               string
}

// textLT is the Lithuanian text, the default.
func textLT() *texts {
	return &texts{
		Lang:              langLT,
		OtherLangName:     "English",
		SkipLink:          "Pereiti prie turinio",
		Home:              "Į pradžios puslapį",
		AllConsultations:  "Visos konsultacijos",
		ErrorTitlePrefix:  "Klaida: ",
		ErrorSummaryTitle: "Patikrinkite formą",
		ErrorPrefix:       "Klaida:",

		ListTitle:     "Pateikite pasiūlymą",
		ListIntroF:    "%s kviečia gyventojus, bendruomenes, verslą ir įstaigas teikti pasiūlymus. Pasirinkite konsultaciją ir parašykite, ką siūlote.",
		ListNone:      "Šiuo metu vykstančių konsultacijų nėra.",
		ListDeadlineF: "Pasiūlymų laukiame iki %s",
		ListAction:    "Pateikti pasiūlymą",

		Required:       "Privaloma tik įrašyti pasiūlymą. Kiti laukai neprivalomi.",
		DeadlineF:      "Pasiūlymų laukiame iki %s",
		ClosedF:        "Ši konsultacija baigėsi: pasiūlymų buvo laukiama iki %s Naujų pasiūlymų nebepriimame.",
		NotYetF:        "Pasiūlymus bus galima teikti nuo %s",
		ClosedMore:     "Vykstančias konsultacijas rasite pradžios puslapyje.",
		TextLabel:      "Jūsų pasiūlymas",
		TextHintF:      "Parašykite, ką siūlote ir kodėl. Iki %s simbolių.",
		CounterLeftF:   "Liko simbolių: {n} iš {max}",
		CounterOverF:   "Simbolių per daug: {n}. Sutrumpinkite tekstą arba pridėkite jį kaip failą.",
		MeasureLabel:   "Strategijos priemonė",
		MeasureHint:    "Jei nežinote, palikite kaip yra – VVG priskirs pati.",
		MeasureUnknown: "Nežinau – tegul priskiria VVG",
		NameLabel:      "Vardas ir pavardė",
		NameHint:       "Pasiūlymą galite pateikti ir anonimiškai.",
		EmailLabel:     "El. paštas",
		EmailHint:      "Nurodykite, jei norite gauti patvirtinimą ir atsakymą el. paštu. Be adreso patvirtinimo laiško negausite.",
		SectorLegend:   "Pasiūlymą teikiate kaip",
		SectorNone:     "Nenurodau",
		SectorResident: "Gyventojas (-a)",
		SectorNGO:      "NVO ar bendruomenė",
		SectorBusiness: "Verslas",
		SectorPublic:   "Valstybės ar savivaldybės įstaiga",
		FilesLabel:     "Priedai",
		FilesHintF:     "Iki %d failų, kiekvienas iki %s. Tinka: %s.",
		FilesAgain:     "Pridėtus failus pasirinkite iš naujo.",
		ConsentLabelF:  "Sutinku, kad %s tvarkytų mano vardą ir el. pašto adresą šiam pasiūlymui nagrinėti ir atsakyti į jį.",
		ConsentHint:    "Privaloma, jei nurodėte vardą arba el. paštą.",
		PrivacyTitle:   "Kaip tvarkome jūsų duomenis",
		Optional:       "(neprivaloma)",
		HoneypotLabel:  "Palikite tuščią",
		Submit:         "Pateikti pasiūlymą",

		TextEmpty:     "Įrašykite savo pasiūlymą.",
		TextTooLongF:  "Pasiūlymas per ilgas (simbolių: %s, leidžiama iki %s). Sutrumpinkite jį arba pridėkite kaip failą.",
		MeasureBad:    "Pasirinkite priemonę iš sąrašo arba „Nežinau“.",
		NameLines:     "Vardą įrašykite vienoje eilutėje.",
		NameTooLongF:  "Vardas per ilgas: leidžiama iki %d simbolių.",
		EmailBad:      "Įrašykite el. pašto adresą, pvz., vardas@pastas.lt, arba palikite lauką tuščią.",
		EmailLines:    "El. pašto adresą įrašykite vienoje eilutėje.",
		SectorBad:     "Pasirinkite vieną iš pateiktų variantų.",
		ConsentNeeded: "Pažymėkite sutikimą arba ištrinkite vardą ir el. paštą – tada pasiūlymas bus anoniminis.",
		FilesTooManyF: "Galima pridėti ne daugiau kaip %d failų.",
		FileTooBigF:   "Failas „%s“ per didelis: leidžiama iki %s.",
		FileEmptyF:    "Failas „%s“ tuščias.",
		FileTypeF:     "Failo „%s“ tipas netinka. Tinka: %s.",

		TokenMissing: "Forma pateikta ne iš šio puslapio. Patikrinkite ir pateikite dar kartą.",
		TokenInvalid: "Nepavyko patikrinti formos. Patikrinkite įrašą ir pateikite dar kartą.",
		TokenExpired: "Forma buvo atverta per seniai. Patikrinkite įrašą ir pateikite dar kartą.",
		NoCookie:     "Naršyklė neatsiuntė šios svetainės slapuko. Leiskite slapukus (cookies) šiai svetainei ir pateikite dar kartą.",
		Honeypot:     "Užpildėte lauką „Palikite tuščią“ – jis skirtas robotams atpažinti. Jį ištrynėme, pateikite dar kartą.",
		TooFast:      "Forma pateikta vos ją atvėrus. Palaukite kelias sekundes ir pateikite dar kartą – jūsų įrašas liko formoje.",
		StoreFailed:  "Nepavyko išsaugoti, bandykite dar kartą. Jūsų įrašas liko formoje.",

		ReceiptTitle:      "Ačiū! Jūsų pasiūlymą gavome",
		RefLabel:          "Pasiūlymo numeris",
		RefHint:           "Užsirašykite šį numerį – nurodykite jį, jei kreipsitės dėl savo pasiūlymo.",
		ReceivedLabel:     "Gauta",
		ConsultationLabel: "Konsultacija",
		ReceiptMeasure:    "Priemonė",
		ReceiptText:       "Pasiūlymas",
		ReceiptFiles:      "Priedai",
		ReceiptDeadline:   "Pasiūlymų priėmimo terminas",
		ReceiptResponse:   "Atsakymą pateiksime iki",
		LateNote:          "Pasiūlymas gautas po termino. Jį užregistravome, tačiau VVG gali jo nebesvarstyti.",
		AckQueuedF:        "Patvirtinimą išsiųsime adresu %s.",
		AckNoEmail:        "Nenurodėte el. pašto, todėl patvirtinimo laiško nebus – šis puslapis yra jūsų patvirtinimas.",
		AckNotQueued:      "Patvirtinimo laiško šįkart nesiųsime – šis puslapis yra jūsų patvirtinimas.",
		PrintHint:         "Šį puslapį galite išsispausdinti arba nufotografuoti.",
		Another:           "Pateikti dar vieną pasiūlymą",

		NotFoundTitle:   "Puslapis nerastas",
		NotFoundText:    "Tokios konsultacijos ar puslapio nėra. Vykstančias konsultacijas rasite pradžios puslapyje.",
		ClosedTitle:     "Konsultacija baigėsi",
		TooLargeTitle:   "Per dideli failai",
		TooLargeTextF:   "Kartu galima siųsti iki %s. Grįžkite atgal, pašalinkite didelius failus ir pateikite dar kartą.",
		RateTitle:       "Per daug pasiūlymų",
		RateTextF:       "Iš šio interneto ryšio per trumpą laiką gavome daug pasiūlymų. Pabandykite vėl po %d min.",
		BadRequestTitle: "Nepavyko perskaityti formos",
		BadRequestText:  "Naršyklė atsiuntė formą, kurios nepavyko perskaityti. Grįžkite atgal ir pateikite dar kartą.",
		StoreTitle:      "Nepavyko išsaugoti",
		StoreText:       "Nepavyko išsaugoti, bandykite dar kartą.",
		ContactF:        "Jei nepavyksta, susisiekite: %s.",
	}
}
