package classify

// IsStopWord reports whether the lower-case word w is a function word that
// says nothing about the measure: Lithuanian conjunctions, prepositions,
// pronouns, particles and forms of "būti", a few English and Russian
// function words residents mix in, and URL/e-mail debris. The word is
// compared without diacritics so that "ką" and "ka" are both caught.
//
// It is a switch rather than a map so that the list is constant: the
// package keeps no mutable state.
func IsStopWord(w string) bool {
	// The longest stop word is 10 bytes; fold into a stack buffer so the
	// check does not allocate on the classification path.
	if len(w) > 24 {
		return false
	}
	var buf [24]byte
	return isStopFolded(string(appendFolded(buf[:0], w)))
}

// isStopFolded is IsStopWord for a word already folded.
func isStopFolded(w string) bool {
	switch w {
	// Lithuanian conjunctions and particles.
	case "ir", "bei", "ar", "o", "bet", "taciau", "kad", "jog", "nes", "tai",
		"kaip", "kur", "kada", "kai", "jei", "jeigu", "nors", "arba", "ne",
		"nei", "net", "tik", "jau", "dar", "gal", "galbut", "taip", "pat",
		"vis", "labai", "kiek", "kodel", "todel", "tad", "tada", "nebent",
		"juk", "gi", "va", "na", "ba", "lyg", "tarsi", "kazkaip", "pvz",
		"t", "y", "sk", "m", "d", "nr", "tt", "beje", "deja",
		"tiesiog", "butent", "ypac", "pavyzdziui", "kartu", "toliau",
		"kuo", "kol", "vos", "ten", "cia", "visai", "gana":
		return true
	// Prepositions.
	case "i", "is", "su", "be", "per", "prie", "po", "uz", "apie", "del",
		"nuo", "iki", "pas", "tarp", "virs", "ant", "link", "pagal", "salia",
		"pries", "anot", "auksciau", "zemiau":
		return true
	// Pronouns and determiners.
	case "as", "mes", "jus", "tu", "jis", "ji", "jie", "jos", "jo", "ju",
		"jam", "jai", "jiems", "joms", "ja", "juos", "jas", "man", "mane",
		"mano", "mums", "mus", "musu", "jums", "jusu", "tau", "tave", "tavo",
		"sau", "save", "savo", "savi", "tas", "ta", "tie", "tos", "to",
		"tam", "tuo", "tuos", "sis", "si", "sie", "sios", "sio",
		"sia", "siam", "sioje", "siame", "kas", "ka", "ko", "kam", "kuris",
		"kuri", "kurie", "kurios", "kurio", "kuriems", "kuriuos",
		"kuria", "kuriame", "kurioje", "koks", "kokia", "kokie", "kokios",
		"koki", "kokiu", "visi", "visos", "viskas", "visa", "visu", "kiekvienas",
		"kiekviena", "kitas", "kita", "kiti", "kitos", "kitu", "kitiems",
		"kazkas", "kazka", "kazkur", "niekas", "nieko", "pats", "pati", "patys",
		"jusiskis", "anas", "ana":
		return true
	// Forms of būti (to be) and a few auxiliaries.
	case "yra", "nera", "buvo", "nebuvo", "bus", "nebus", "buti", "butu",
		"nebutu", "esu", "esame", "esate", "esi", "buvau", "busiu", "bebuti":
		return true
	// English function words.
	case "the", "a", "an", "and", "or", "of", "in", "for", "are",
		"it", "this", "that", "with", "on", "we", "you", "our",
		"your", "my", "me", "he", "she", "they", "them", "his", "her", "at",
		"by", "from", "was", "were", "will", "would", "can", "could",
		"there", "here", "have", "has", "had", "not", "no", "do", "does",
		"so", "but", "if", "please", "hi", "hello":
		return true
	// Russian function words.
	case "и", "в", "во", "на", "не", "что", "я", "мы", "вы", "он", "она",
		"они", "это", "с", "со", "по", "для", "как", "а", "но", "то", "у",
		"к", "из", "за", "от", "же", "бы", "ли", "так", "там", "тут", "все",
		"всё", "или", "нет", "да", "есть", "мне", "нам", "нас", "вас", "их",
		"его", "ее", "её", "о", "об", "при", "до", "уже", "еще", "ещё",
		"очень", "тоже", "чтобы", "если", "когда", "где", "кто":
		return true
	// URL and address debris.
	case "http", "https", "www", "com", "lt", "html", "php", "gmail", "mailto":
		return true
	}
	return false
}
