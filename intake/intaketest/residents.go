package intaketest

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Residents makes up residents and their suggestions for tests and
// benchmarks that need many messages that look like a consultation's
// (the crash test, bench/mkmailbox): Lithuanian names, the addresses
// people make of them, and the kinds of thing residents propose.
type Residents struct{ rng *rand.Rand }

// NewResidents draws from rng.
func NewResidents(rng *rand.Rand) Residents { return Residents{rng: rng} }

// Name returns a first and a last name.
func (r Residents) Name() (first, last string) {
	return pick(r.rng, []string{"Rūta", "Jonas", "Aušra", "Mindaugas", "Giedrė", "Tomas", "Eglė", "Darius", "Jurgita",
			"Paulius", "Ieva", "Žydrūnas", "Laima", "Vytautas", "Asta", "Šarūnas", "Daiva", "Kęstutis", "Milda", "Algirdas"}),
		pick(r.rng, []string{"Kazlauskienė", "Petraitis", "Jankauskaitė", "Stankevičius", "Vasiliauskienė", "Žukauskas",
			"Butkutė", "Paulauskas", "Urbonienė", "Kavaliauskas", "Navickaitė", "Ramanauskas", "Sakalauskienė", "Černiauskas"})
}

// Address returns the address a resident with this name makes, unique by n.
func (r Residents) Address(first, last string, n int) string {
	domain := pick(r.rng, []string{"gmail.com", "yahoo.com", "one.lt", "inbox.lt", "takas.lt", "outlook.com"})
	return strings.ToLower(fmt.Sprintf("%s.%s%d@%s", ASCIIFold(first), ASCIIFold(last), n, domain))
}

// Idea returns one thing residents propose (measures 1.1–5, and the
// municipal complaints filed as "other").
func (r Residents) Idea() string {
	return pick(r.rng, []string{
		"Siūlau Aleksote įkurti dienos centrą senjorams, kur jie galėtų susitikti, pavalgyti šiltus pietus ir pabendrauti.",
		"Vienišiems senoliams reikėtų pagalbos į namus: kas nors galėtų atnešti maisto, nupirkti vaistų ir tiesiog pasikalbėti.",
		"Daug gyventojų nežino, kur kreiptis dėl socialinių paslaugų. Gal galima parengti lankstinuką su kontaktais ir žemėlapiu?",
		"Bedarbiams labai trūksta kompiuterinio raštingumo kursų, po kurių būtų išduodamas pažymėjimas.",
		"Jaunimui reikia pagalbos ieškant pirmojo darbo: CV rašymo užsiėmimų, pokalbių su darbdaviais, praktikos vietų.",
		"Norintiems pradėti savo verslą trūksta konsultacijų, kaip parengti verslo planą ir kur rasti pirmuosius klientus.",
		"Siūlome bendradarbiauti su kitomis Kauno bendruomenėmis ir mokyklomis, dalintis patirtimi ir rengti bendrus renginius.",
		"Reikėtų savanorių centro, kuris koordinuotų talkas, mokytų savanorius ir juos pagerbtų metų pabaigoje.",
		"Vaikams iš nepasiturinčių šeimų vasarą reikalinga dienos stovykla su maitinimu ir užsiėmimais.",
		"Jaunoms mamoms būtų naudinga savipagalbos grupė su psichologe ir vaikų priežiūra susitikimų metu.",
		"Vyresniems žmonėms reikalingas pavėžėjimas į polikliniką ir seniūniją, nes autobusai važiuoja retai.",
		"Gatvėje prie bendruomenės namų neveikia apšvietimas, vakare vaikščioti nesaugu.",
		"Siūlau organizuoti siuvėjų ir virėjų kursus moterims, kurios nori grįžti į darbo rinką.",
		"Socialinis verslas galėtų įdarbinti žmones su negalia, pavyzdžiui, kepykla ar skalbykla.",
		"Bendruomenės naujienlaiškis ir svetainė padėtų gyventojams sužinoti apie VVG projektus.",
		"Pabėgėlių šeimų vaikams reikėtų lietuvių kalbos pamokų ir pagalbos ruošiant namų darbus.",
	})
}

// ASCIIFold spells a Lithuanian name the way people do in mail addresses.
func ASCIIFold(s string) string {
	return strings.NewReplacer("ą", "a", "č", "c", "ę", "e", "ė", "e", "į", "i", "š", "s", "ų", "u", "ū", "u", "ž", "z",
		"Ą", "A", "Č", "C", "Ę", "E", "Ė", "E", "Į", "I", "Š", "S", "Ų", "U", "Ū", "U", "Ž", "Z").Replace(s)
}

func pick(rng *rand.Rand, list []string) string { return list[rng.IntN(len(list))] }
