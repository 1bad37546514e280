package classify

import (
	"strings"
	"testing"
)

func TestMarkRejected(t *testing.T) {
	tests := []struct {
		name, text string
		want       string // the rejected words, space-separated
	}{
		{"ne X, o Y", "Reikia ne įdarbinimo, o pagalbos pradėti verslą.", "įdarbinimo"},
		{"Y, o ne X", "Noriu darbo, o ne verslo konsultacijų.", "verslo konsultacijų"},
		{"verb then object", "Man nereikia daugiau kursų – man reikia darbo.", "daugiau kursų"},
		{"object then verb", "Išmokyti jį nieko nebereikia, jis moka dirbti.", "išmokyti"},
		{"not only", "Ne tik kursai, bet ir darbo paieška.", ""},
		{"not knowing is a need", "Žmonės nežino, kur kreiptis.", ""},
		{"english", "I don't need more courses, I need a job.", "need more courses"},
		{"workplace is not instead", "Mokymas darbo vietoje.", ""},
		{"enough of X", "Informacijos apie paslaugas mums užtenka, trūksta pačių paslaugų.", "informacijos paslaugas"},
		{"enough, then X", "Dienos centrų pakanka, reikia žmogaus, kuris palydėtų.", "dienos centrų"},
		{"not enough is a need", "Not enough carers for the elderly.", ""},
		{"aren't enough is a need", "There aren't enough carers for the elderly.", ""},
		{"isn't enough is a need", "Help at home isn't enough here.", ""},
		{"не хватает is a need", "Не хватает помощи на дому.", ""},
		{"don't have enough is a need", "We don't have enough carers for the elderly.", ""},
		{"not always enough is a need", "Dienos centrų ne visada užtenka visiems.", ""},
		{"не всегда хватает is a need", "Не всегда хватает помощи на дому.", ""},
		{"don't, then enough later", "I don't need courses, we have enough of them.", "need courses"},
		{"already have X", "Kursų jau turiu tris, reikia darbo.", "kursų tris"},
		{"ir taip yra X", "Informacijos ir taip yra apie viską, trūksta paslaugų.", "informacijos viską"},
		{"уже есть", "Курсы у меня уже есть, нужна работа.", "курсы меня"},
		{"will give nothing", "Karjeros konsultacijos jiems nieko neduos – reikia psichologo.", "karjeros konsultacijos"},
		{"negated imperative", "Nesiūlykit man kursų, noriu atidaryti valgyklą.", "kursų"},
		{"do not forget asks", "Nepamirškite senjorų kaimuose.", ""},
		{"хватит X", "Хватит курсов, нужна работа.", "курсов"},
		{"so it is", "Taip yra todėl, kad trūksta darbo.", ""},
		{"not needed", "Dar vieni kursai nereikalingi, reikia darbo.", "vieni kursai"},
		{"didn't need X", "She didn't need a business plan, she needed the craft.", "need business plan"},
		{"can't, typed without the apostrophe", "We cant use more leaflets, we need a carer.", "use more leaflets"},
		{"вместо X", "Вместо курсов нужна работа.", "курсов"},
		{"rather than X", "Home visits rather than computer courses.", "computer courses"},
		{"labiau X nei Y", "Labiau reikia pagalbos į namus nei lankstinukų.", "lankstinukų"},
		{"лучше X, чем Y", "Лучше помощь на дому, чем буклеты.", "буклеты"},
		{"prioritise X over Y", "Please prioritise social clubs and home visits for older people over computer courses.", "computer courses"},
		{"over without a preference", "Courses for people over sixty.", ""},
		{"neither nor", "Neturiu nei darbo, nei pinigų kursams.", ""},
		{"more than a number", "Daugiau nei šimtas žmonių ieško darbo.", ""},
		{"не надо X", "Не надо нам очередной горячей линии, нужен человек.", "надо очередной горячей линии"},
		{"disagree that X", "Nesutinku, kad bedarbiams reikia tik darbo paieškos. Siūlau padėti pradėti savo veiklą.", "bedarbiams reikia darbo paieškos"},
		{"agree that X", "Я согласен, что нужны курсы.", ""},
		{"не согласен, что X", "Я не согласен, что нужны курсы.", "согласен нужны курсы"},
		{"X ne man", "Savarankiška veikla ne man, bijau mokesčių.", "savarankiška veikla"},
		{"vietoj to, Y", "Siūlau vietoj to finansuoti kvalifikacijos kėlimą.", ""},
		{"instead, Y", "Instead, fund evening classes for adults.", ""},
		{"instead of X", "Fund mentors instead of seminars.", "seminars"},
		{"вместо этого", "Вместо этого нужна работа.", ""},
		{"vietoj X reikia Y", "Vietoj kursų reikia darbo vietų.", "kursų"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws, _ := splitWords(Normalize(tt.text), nil)
			markRejected(ws)
			var got []string
			for _, w := range ws {
				if w.neg {
					got = append(got, w.text)
				}
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("rejected = %q, want %q", g, tt.want)
			}
		})
	}
}

func TestCues(t *testing.T) {
	tests := []struct {
		name, text string
		want, not  []cue
	}{
		{"proposal", "Siūlau įkurti savanorių centrą.", []cue{cueProposal}, []cue{cueNoProposal, cueQuestion}},
		{"own question", "Laba diena, ar man priklauso kompensacija už šildymą?", []cue{cueOwnQuestion, cueQuestionOnly, cueNoProposal}, []cue{cueProposal}},
		{"question about others", "Kada bus išvežtos šiukšlės? Konteineriai pilni.", []cue{cueQuestion, cueQuestionOnly}, []cue{cueOwnQuestion}},
		{"thanks", "Ačiū už puikų susitikimą!", []cue{cueThanksOnly, cueNoProposal}, nil},
		{"declines", "Ačiū, gavau laišką. Pasiūlymų neturiu.", []cue{cueDeclines, cueNoProposal}, []cue{cueProposal}},
		{"no remarks", "Pritariu priemonei 2.1. Daugiau pastabų neturiu.", []cue{cueDeclines, cueNoProposal}, []cue{cueProposal}},
		{"no remarks, then a proposal", "Pastabų neturiu. Siūlau įkurti savanorių centrą.", []cue{cueDeclines, cueProposal}, []cue{cueNoProposal}},
		{"no comments", "No comments from our side, thank you.", []cue{cueDeclines, cueNoProposal}, []cue{cueProposal}},
		{"english request", "Could the VVG please organise evening courses for adults?", []cue{cueProposal, cueQuestion}, []cue{cueNoProposal, cueQuestionOnly}},
		{"russian request", "Прошу организовать бесплатные обеды для пожилых.", []cue{cueProposal}, []cue{cueNoProposal}},
		{"english wish", "A weekly drop-in with a social worker at the library would help older people.", []cue{cueProposal}, []cue{cueNoProposal}},
		{"russian conditional", "Хорошо бы открыть клуб для молодых мам.", []cue{cueProposal}, []cue{cueNoProposal}},
		{"russian imperative", "Организуйте курсы компьютера для пенсионеров.", []cue{cueProposal}, []cue{cueNoProposal}},
		{"an advert's call is no request", "Продаю мёд недорого, звоните.", []cue{cueNoProposal}, []cue{cueProposal}},
		{"a greeting is no request", "Здравствуйте, подскажите, когда будет собрание жильцов?", []cue{cueNoProposal, cueQuestionOnly}, []cue{cueProposal}},
		{"gal galima, a polite request", "Gal galima, kad kas nors padėtų parašyti CV?", []cue{cueProposal, cueQuestion}, []cue{cueNoProposal, cueQuestionOnly}},
		{"galima alone asks", "Ar galima gauti kompensaciją?", []cue{cueNoProposal, cueQuestionOnly}, []cue{cueProposal}},
		{"norėčiau, kad: a wish", "Norėčiau, kad vyktų slaugytojo padėjėjo kursai.", []cue{cueProposal}, []cue{cueNoProposal}},
		{"norėčiau sužinoti: a question", "Norėčiau sužinoti, kada bus susitikimas.", []cue{cueNoProposal}, []cue{cueProposal}},
		{"english own question", "When will my pension be paid?", []cue{cueOwnQuestion, cueNoProposal}, []cue{cueProposal}},
		{"rejected proposal word", "Nereikia kursų.", []cue{cueNoProposal}, []cue{cueProposal}},
		{"nothing to change", "Pritariu 5 priemonei, reikia skatinti savanorystę. Nieko keisti nesiūlau.", []cue{cueDeclines}, nil},
		{"wording only", "Sakinį siūlau perrašyti paprasčiau. Turinio keisti nesiūlau.", []cue{cueDeclines, cueProposal}, nil},
		{"nothing to add", "I agree with the strategy and have nothing to add.", []cue{cueDeclines, cueNoProposal}, nil},
		{"does not know what to propose", "Kodėl skelbiama tik internete? Nežinau, ką siūlyti, bet tai neteisinga.", []cue{cueDeclines, cueNoProposal}, nil},
		{"not sure, but proposes", "Nežinau, ar tai tinka, bet siūlau įkurti savanorių centrą.", []cue{cueProposal}, []cue{cueDeclines}},
		{"indirect own question", "Norėčiau paklausti, ar man priklauso kompensacija už šildymą.", []cue{cueQuestion, cueOwnQuestion, cueQuestionOnly}, nil},
		{"a caller's question, noted", "Moteris telefonu klausė, ar jai priklauso nemokamas pavėžėjimas. Nukreipta į centrą.", []cue{cueQuestion, cueOwnQuestion}, []cue{cueProposal}},
		{"asked whether, about others", "Residents asked whether the library could stay open longer.", []cue{cueQuestion}, []cue{cueOwnQuestion}},
		{"a question word alone", "Klausimas dėl darbo klubų: siūlau juos steigti.", []cue{cueProposal}, []cue{cueQuestion}},
		{"nothing is done, change it", "Nieko nedaroma, siūlau keisti tvarką.", []cue{cueProposal}, []cue{cueDeclines}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws, last := splitWords(Normalize(tt.text), nil)
			markRejected(ws)
			cs := cuesOf(ws, last)
			for _, c := range tt.want {
				if !cs.has(c) {
					t.Errorf("cues of %q lack %s", tt.text, c)
				}
			}
			for _, c := range tt.not {
				if cs.has(c) {
					t.Errorf("cues of %q have %s", tt.text, c)
				}
			}
		})
	}
}

// TestAdvertises: an offer needs both a price or discount and a call to
// order or get in touch; a resident's proposal often has one of them.
func TestAdvertises(t *testing.T) {
	tests := []struct {
		name, text string
		want       bool
	}{
		{"course with a price", "Anglų kalbos kursai suaugusiems: kaina 150 Eur už mėnesį. Registracija tel. 8 600 00000.", true},
		{"discount and a call", "Draudimas savanoriams su 20 % nuolaida! Susisiekite su mumis šiandien.", true},
		{"prices and orders", "Buhalterinės paslaugos pradedantiems verslą – kainos prieinamos, užsakymus priimame el. paštu.", true},
		{"an invitation to register", "Kviečiame į manikiūro kursus mūsų studijoje! Registracija telefonu.", true},
		{"a proposal to invite", "Siūlau kviesti senjorus į bibliotekos popietes.", false},
		{"a proposal about prices", "Siūlau, kad būtų pigūs pietūs senjorams: dabar kaina valgykloje per didelė.", false},
		{"a volunteer offers help", "Esu savanorė ir galiu padėti vaikams. Susisiekite su manimi, jei reikia.", false},
		{"a plain proposal", "Reikėtų sukurti savanorių centrą Aleksote.", false},
		{"free of charge, call us", "Первая консультация бесплатно! Звоните.", true},
		{"we organise, register", "Organizuojame verslo mentorystės sesijas pradedantiesiems. Registracija www.example.lt", true},
		{"a proposal of free meals", "Siūlau nemokamus pietus senjorams bibliotekoje.", false},
		{"a company offers, reply for more", "UAB „Žinių akademija“ siūlo kursus įmonėms. Atsakykite į šį laišką.", true},
		{"a company proposes", "Esame UAB „Baldai“. Siūlome, kad VVG remtų mentorystę.", false},
		{"an NGO proposes, with a contact", "Siūlome savanorių centrą. Susisiekite su mumis, jei reikia.", false},
		{"a centre organises, more information", "Mokymo centras „Amatai“ organizuoja virėjų kursus. Daugiau informacijos – mūsų svetainėje.", true},
		{"an elderate organises, more information is wanted", "Seniūnija organizuoja daug renginių, bet reikia daugiau informacijos apie juos.", false},
		{"a question for more information", "Daugiau informacijos apie kompensacijas norėčiau gauti paštu.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws, _ := splitWords(Normalize(tt.text), nil)
			if got := advertises(ws); got != tt.want {
				t.Errorf("advertises(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

// TestAskSentences: the words of the sentences that ask for something
// stand out only when other sentences tell a story around the ask.
func TestAskSentences(t *testing.T) {
	tests := []struct {
		name, text string
		want       string // the asking words, space-separated; "" when none stands out
	}{
		{"story, then the ask", "Mano sūnus baigė kursus. Siūlau darbo klubą.", "siūlau darbo klubą"},
		{"every sentence asks", "Siūlau darbo klubą. Reikia ir mentorių.", ""},
		{"no sentence asks", "Mano sūnus baigė kursus. Darbo neturi.", ""},
		{"a turned-down ask does not count", "Nereikia kursų. Darbo klubas būtų gerai.", "darbo klubas būtų gerai"},
		{"english", "My brother drinks. Please start an addiction support group.", "please start an addiction support group"},
		{"concedes, then asks", "Konsultacijų punktas – gerai, bet mums labiau reikia konsultanto apie darbą.", "bet mums labiau reikia konsultanto apie darbą"},
		{"asks, then a contrast", "Reikia ne kursų, o darbo.", ""},
		{"a contrast in a story", "Kursus baigiau, bet darbo neturiu. Siūlau darbo klubą.", "siūlau darbo klubą"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws, _ := splitWords(Normalize(tt.text), nil)
			markRejected(ws)
			var marks []bool
			var got []string
			if askSentences(ws, &marks) {
				for i, w := range ws {
					if marks[i] {
						got = append(got, w.text)
					}
				}
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("asking words = %q, want %q", g, tt.want)
			}
		})
	}
}
