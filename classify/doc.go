// Package classify files a resident's suggestion under the strategy measure
// (priemonė) it concerns, with a confidence, a secondary measure and the
// terms that decided it.
//
// It owns Lithuanian text handling (normalisation, folding of diacritics,
// tokenisation, stop words and a Snowball Lithuanian stemmer), the model,
// and its evaluation (Evaluate, CrossValidate, Report). It does not know
// where text comes from or where results are stored: measures and labelled
// examples are handed to it by the caller, so nothing about one VVG's
// strategy is built in.
//
// # Glossary
//
//   - VVG (vietos veiklos grupė): Local Action Group, the association that
//     runs the local development strategy and its consultation.
//   - priemonė / veikla: a measure (activity) of the strategy, e.g. 1.1
//     "bendrųjų socialinių paslaugų … teikimas"; Measure.Code is its number.
//   - pasiūlymas: a resident's suggestion, the text classified here.
//   - kita: "other", not about any measure (Options.OtherLabel).
//
// # Model
//
// Each word gives three kinds of feature: its Snowball stem with the
// diacritics folded away, its first five folded letters, and the
// character 4-grams of the folded word with word-boundary marks. Folding
// makes "zmones" and "žmonės" the same word; prefixes and n-grams survive
// typos and words the stemmer gets wrong. A word the resident rejects
// ("reikia ne įdarbinimo, o…", "man nereikia daugiau kursų") gives only a
// stem feature of its own kind, "not X" (negation.go). Text-level cues say
// what the message does rather than what it is about: proposes or not,
// asks, asks about the writer's own case, only thanks, says it has no
// proposal (cues.go). Where some sentences ask for something and others
// tell the story around it, the asking ones count three times
// (askSentences). The measures' titles, descriptions and keywords are
// added as extra training documents, so a strategy works before it has
// many examples.
//
// Three linear models are trained over those features — multinomial naive
// Bayes on the word features, complement naive Bayes on the n-grams, and
// multinomial logistic regression (averaged SGD) on all of them — and
// their temperature-scaled probabilities are averaged. A fourth, binary
// model decides other vs any measure with the cues weighing most; its
// P(other) is averaged into the ensemble's (gate.go), so "other" is a
// decision about the message, not the leftover topic. A last calibration
// (calibrate.go), a temperature and a prior for other fitted on
// predictions for authors the model was not trained on, makes Confidence
// a probability: Report.Reliability and Report.ECE show how well it holds.
// Result.Secondary is always the runner-up, with its own probability and
// Close when it is a real alternative.
//
// A second opinion of another kind decides review with the confidence
// (neighbours.go): the ten training examples most like the text (cosine
// of tf-idf over word stems, the rarest words read first) are found for
// any result the confidence would let through under 99.9%, and when less
// than half of their similarity is on the answer's label the result goes
// to a person. A linear model weighs a word alike in every text; the
// neighbours see texts that share the words of one measure and the ask
// of another, where the model is wrong with confidence. A text staff
// decided is not sent back by them.
//
// Classifier.Learn takes a staff decision at once: an adapter of weights
// per word feature, added to the model's logits, learns the decided label
// for that text in a few gradient steps (adapt.go); Retrain later folds
// the decisions into a full model. Replay plays a consultation's
// decisions into a copy of a model and reports accuracy as it goes.
//
// Classify reads at most Options.MaxTokens words, so any input costs
// bounded time; empty text, text with no known words, or text mostly in
// another language that proposes nothing is flagged NeedsReview.
//
// # Evaluation
//
// The dev set (testdata/dev.jsonl, 160) was used for no choice until
// round 19, when it joined the examples (figures on it since train
// without it). Our own
// labelled set, written for this in the residents' style and leaning on
// the hard boundaries (own-benefit questions, complaints, misaddressed
// mail, corrections of the strategy text and praise under other; informing
// vs providing; volunteers vs services; training vs placement vs business,
// with texts that reject one; feedback mechanisms under 4), was split per
// label by a seeded shuffle into a tuning half (testdata/tune.jsonl, 200)
// and a sealed half (testdata/sealed.jsonl, 198). Every setting — the
// rejection and cue features, the gate, the calibration temperature, the
// review threshold — was chosen on the tuning half alone (tune_own_test.go,
// VVGINTAKE_CLASSIFY_TUNE=1): trained on the earlier shipped examples and
// tested on it, and 5-fold cross-validated over it with the shipped
// examples in training. The tuning half then joined the shipped examples
// (examples/aleksotas.jsonl, ids t001–t200), and the sealed half was
// evaluated once (TestFigures prints every figure below).
//
//	                                  macro-F1  top-2  flagged  caught  unflagged  ECE
//	sealed (198), shipped model          0.931  0.980    21.7%   92.9%      0.994  0.021
//	dev (160), shipped model             0.975  1.000    14.4%   75.0%      0.993  0.017
//	dev, 5-fold CV, shipped in training  0.956  0.994    14.4%  100.0%      1.000  0.021
//	tuning half, 5-fold CV (in-sample    0.951  1.000    17.5%  100.0%      1.000  0.023
//	  for calibration and threshold)
//	shipped (584), 5-fold CV             0.954  0.997    15.6%   92.6%      0.996  0.014
//
// After the sealed look one change was made for a reason outside it (an
// English proposal must not be flagged just for being in English, as the
// CLI's test holds). Before this work the same protocol would have given
// 0.922 trained on the shipped examples and tested on the tuning half; on
// 240 unseen suggestions the old model scored 0.858.
//
// Two more rounds, each by an author who saw neither the examples nor
// the code. Round 2 (testdata/tune2.jsonl and sealed2.jsonl, 160 each,
// split per label by a seeded shuffle): before it joined training, the
// shipped model on its tuning half was the picture of an unseen author:
// macro-F1 0.870, ECE 0.074 (over-confident: the 0.9–1.0 bin right 94% of
// the time at 99% confidence), "other" recall 0.55, and at the old
// threshold only 14 of 20 errors caught. No hyper-parameter variant did
// better beyond its noise (TestTuneOwn with VVGINTAKE_CLASSIFY_TUNESET).
// Round 3 (tune3.jsonl, 320, a third author) likewise: macro-F1 0.910,
// 20 of 28 errors caught at 17.8% flagged. Both tuning sets then joined
// the shipped examples (ids f…, g…: 1,064 in all, 127–145 per label).
//
// Calibration, the ensemble's weights and the threshold are now chosen
// the way a new author meets the model: every shipped example is
// predicted by a model trained without its author's examples (four
// authors; TestTuneByAuthor, TestTuneByAuthorVariants). There the n-gram
// model's vote is worth a quarter of the others' (log-loss 0.162 → 0.148,
// errors caught within 20% flagged 86% → 92%; dev cross-validated 0.963
// → 0.988), the temperature is 1.55 (2.1 had been fitted on random
// folds, where each author is also in training, and made new authors'
// results over-confident), and the threshold is the lowest that catches
// the most errors within 20% flagged: 0.92, which flags 18.0% and catches
// 59 of 64 (macro-F1 0.940, ECE 0.010). Leaving out the words that name
// the consultation itself (strategija, VVG) was tried and cost log-loss
// there and an error on dev.
//
// Two sets were kept apart from all of this. sealed3.jsonl (240, a fourth
// author) was looked at along the way (its first look, with the old
// temperature, showed the queue flagging 13.8% and catching 8 of 13
// errors, which prompted the by-author calibration) and is spent.
// sealed4.jsonl (240, a fifth author) was evaluated once with the above
// fixed: macro-F1 0.926, top-2 0.967, 16.7% flagged, 14 of 18 errors
// caught (78%), unflagged 0.980, ECE 0.036. On a new author the model was
// sometimes wrong with confidence: an advertisement of courses or
// insurance filed under the measure it names, a rant about the VVG under
// 4, a service asked for instead of volunteers under 5.
//
// Round 4: two more authors wrote 320 each, one as older, rural,
// disabled and Russian-speaking residents (ids m…, a third typed without
// diacritics), one as organisations (ids p…, formal letters, numbered
// lists). Before they joined, the shipped model on them: macro-F1 0.928
// and 0.933, top-2 0.994 and 0.984, and the queue caught 17 of 23 and 12
// of 21 errors at 19.1% and 11.9% flagged: a formal letter is confident
// whether right or wrong. They joined the examples (1,704, 207–225 per
// label), and on the by-author protocol with six authors:
//   - an advertisement cue (cueAdvert: a price or discount and a call to
//     order or get in touch, both needed) brings log-loss 0.135 → 0.133
//     and three fewer errors; with the gate's share of P(other) 0.5 → 0.4,
//     0.131 (no other variant did better beyond noise);
//   - the temperature is refitted: 1.45;
//   - the threshold, by the same rule as before (the lowest that catches
//     the most errors within 20% flagged), is 0.96: 20.0% flagged, 72 of
//     81 errors caught (88.9%), macro-F1 0.952, ECE 0.007;
//   - a staff decision is learned until its label has 0.98 (was 0.97, now
//     under the threshold), in at most 24 steps.
//
// sealed5.jsonl (240, a sixth author, written while round 4 was chosen)
// was then evaluated once: macro-F1 0.979, top-2 0.992, 15.4% flagged, 3
// of 5 errors caught, unflagged 0.990, ECE 0.022.
//
// Round 5: two more authors, 320 each: young people and young families
// (ids q…, chat style, no capitals, emoji, slang) and professionals
// writing about the people they work with (ids r…: case managers,
// counsellors, mentors; and the administrative mail a VVG gets besides
// proposals). Before they joined, the shipped model on them: macro-F1
// 0.937 and 0.965, top-2 0.994 and 1.000, errors caught 16 of 20 and 10
// of 11 at 22.8% and 18.4% flagged. They joined the examples (2,344,
// 287–305 per label). By author, now eight: log-loss 0.131 → 0.116,
// macro-F1 0.959; the fitted temperature stays 1.45, no variant beats the
// defaults beyond noise, and the same rule keeps the threshold at 0.96
// (19.2% flagged, 82 of 95 errors caught, 86.3%).
//
// sealed6.jsonl (240, a ninth author, written while round 5 was chosen,
// about 40% hard cases by its brief) was evaluated once with all of it
// fixed: macro-F1 0.945, top-2 0.992, 20.0% flagged, 11 of 13 errors
// caught (84.6%), unflagged 0.990, ECE 0.017.
//
// Round 6: two more authors, 320 each: carers, relatives, people in
// recovery, former prisoners and the edges of Aleksotas (ids w…, mostly
// short and plain), and institutions and local business (ids x…).
// Before they joined, the shipped model on them: macro-F1 0.938 and
// 0.975, top-2 0.972 and 0.997, errors caught 13 of 20 and 8 of 8 at
// 22.2% and 15.0% flagged. They joined the examples (2,984, 367–385 per
// label). By author, now ten: macro-F1 0.963, log-loss 0.116, the fitted
// temperature stays 1.45, no variant beats the defaults beyond noise, and
// the same rule moves the threshold to 0.965 (19.7% flagged, 94 of 111
// errors caught, 84.7%; at 0.96, 18.7% and 90 of 111). Setting the
// threshold per measure, chosen with each author left out in turn, caught
// fewer (80 of 95 where the one threshold caught 82, with eight authors);
// a margin between the first and second choice did no better.
//
// Round 7: "X užtenka", "X pakanka", "netrūksta X" and "X nereikalingi"
// reject X as "nereikia" does ("informacijos mums užtenka, reikia pačios
// paslaugos"; "not enough" and "не хватает" stay a need): by author
// log-loss 0.116 → 0.114, two fewer errors. A model of the review
// decision (logistic regression on the top probability, the runner-up,
// the spread, the components' agreement and whether the answer is other)
// caught 101 of 111 errors by author at 20% flagged where the confidence
// caught 95, but on the sealed sets it caught fewer than the confidence
// (37 of 43 against 40): it had learnt the authors, and was dropped. So
// was a review budget (at most 20% of a consultation's suggestions, the
// least confident, online): by author it held the share at 17–23% but
// caught 81 errors where the threshold caught 83, and no more authors met
// both targets.
//
// Four more authors, 320 each, evaluated before joining: ids y… (long
// mixed e-mails, replies quoting the call, returning emigrants, parents
// of disabled children, associations, refugees): macro-F1 0.984, 5 of 5
// errors caught at 16% flagged; ids b… (half of each label hard: one
// measure argued against another in many phrasings, adverts without
// prices, remarks on the strategy text, out-of-scope asks in the
// strategy's words): macro-F1 0.937, top-2 0.975, 17 of 20 caught at 25%
// flagged; ids c… (people who write as they talk, the ask at the end or
// implied): macro-F1 0.981, 6 of 6 caught at 19% flagged; ids e… (half
// hard: several measures' topics and one ask, requests for the VVG's
// own papers, grant questions about one's own project): macro-F1 0.965,
// 8 of 11 caught at 18% flagged. They joined the examples (4,264, 527–545
// per label). By author, now fourteen: macro-F1 0.968, log-loss 0.106,
// ECE 0.006, the fitted temperature stays 1.45, and the same rule puts
// the threshold at 0.97 (19.7% flagged, 120 of 137 errors caught, 87.6%;
// at 0.965, 18.5% and 118). With thirteen authors the rule gave 0.965,
// with eleven 0.97: the threshold sits where 20% is reached, and the
// share flagged differs by author more than that margin (at 0.965 with
// thirteen authors, from 13% to 24%; 6 of 13 authors over 20%).
//
// sealed7.jsonl (240, a twelfth author, written while round 7 was
// chosen) was evaluated once with the examples of ids y… joined and the
// threshold at 0.97: macro-F1 0.996, top-2 0.996, 14.2% flagged, its one
// error caught, unflagged 1.000, ECE 0.021. sealed8.jsonl (240, a
// fifteenth author, half of each label hard, written while round 7 was
// chosen) was evaluated once with everything of round 7 fixed: macro-F1
// 0.983, top-2 1.000, 17.1% flagged, 3 of 4 errors caught, unflagged
// 0.995, ECE 0.018; the one missed, at confidence 1.00, argues against
// courses for social-skills work (1.1 filed under 2.1).
//
// Round 8: three more authors, 320 each, evaluated before joining: ids
// i… (institutions writing formally, numbered lists, half hard):
// macro-F1 0.899, top-2 0.959, 91% of errors caught at 36% flagged; ids
// j… (residents on phones: one to three sentences, typos, no
// diacritics, the ask implied; a third hard): macro-F1 0.896, 88% caught
// at 39% flagged; ids o… (minority and newcomer residents, a third each
// in Russian, English and Lithuanian, half hard): macro-F1 0.771, top-2
// 0.884, 97% caught at 73% flagged. Short texts and the other two
// languages (the examples had 72 in Russian and 42 in English) were the
// weak side; the queue took most of the errors, at a share of the
// suggestions staff would not accept. Rules added, each judged by author:
// "already" (jau, ir taip, already, уже) before "have" or "is" (yra,
// turime, have, есть) rejects what stands around it ("informacijos ir
// taip yra apie viską", "курсы у меня уже есть"): by author log-loss
// 0.133 → 0.131, one more error caught; a negated imperative
// ("nesiūlykite kursų", "nekurkit"; not "nepamirškite", do not forget)
// and "хватит" (enough of) reject what follows: 0.131 → 0.130, two fewer
// errors; "neduos" (will give nothing) and its forms reject as "nepadės"
// does; a negation up to three words before "enough" makes a lack
// ("don't have enough carers"). The three sets joined the examples
// (5,224, 647–665 per label). By author, now seventeen: macro-F1 0.959,
// log-loss 0.130, ECE 0.006, the fitted temperature stays 1.45, and the
// same rule on the grid of 0.005 puts the threshold at 0.95 (20.0%
// flagged: 1,045 of 5,224; 180 of 213 errors caught, 84.5%; at 0.97,
// 23.7% and 188). The share caught by author fell from 87.6% because the new
// authors are the hardest so far: on the earlier sealed sets of new
// authors macro-F1 rose on five (sealed4 0.947 → 0.955, sealed6 0.950 →
// 0.958) and fell on two (sealed7 0.996 → 0.992, sealed8 0.983 → 0.979).
//
// sealed9.jsonl (240, another new author, half of each label hard,
// written while round 8 was chosen) was evaluated once with the examples
// joined, the "already" rule and the threshold at 0.95: macro-F1 0.975,
// top-2 0.996, 25.8% flagged, 5 of 6 errors caught, unflagged 0.994, ECE
// 0.034. The one missed (confidence 1.00) says career advice "nieko
// neduos" (will give nothing) to the long-term unemployed and asks for a
// psychologist first (1.1 filed under 2.2); the "neduos" rule came after
// that look, as did the imperative rule, and the text is still missed.
//
// Round 9: two more authors, 320 each: residents writing in English and
// Russian only (ids A…, half hard) and older people who rarely write,
// letters dictated or typed up by staff, the ask at the end (ids B…).
// Before they joined: macro-F1 0.884 and 0.950, top-2 0.959 and 0.991,
// 97% and 94% of errors caught at 73% and 24% flagged. Rules added,
// judged by author: an invitation with a call to sign up reads as an
// advertisement ("kviečiame… registracija"; log-loss 0.130 → 0.129);
// "pastabų neturiu" and "no comments" decline, and a declining sentence
// no longer cancels a proposal in another (0.129 → 0.128); "please",
// "could", "recommend", "прошу", "просим", "необходимо", "следует",
// "хотелось", "было" and "предлож-" are proposal words, so that text in
// English or Russian that proposes something is no longer sent to review
// for proposing nothing (by author with eighteen authors, text in those
// languages went to review at 68–74% for thresholds from 0.93 to 0.975;
// with the words, 60–67%). The sets joined the examples (5,864, 727–745 per
// label). By author, now nineteen: macro-F1 0.960, log-loss 0.132, ECE
// 0.008, the fitted temperature 1.50 (log-loss 0.1313 against 0.1315 at
// 1.45, which stays).
//
// The threshold rule changed in this round, after I saw what the old one
// gave. Counted as written, the by-author pool is now 14% English and
// Russian (two of nineteen authors wrote mostly in them), which the queue
// flags at 60–66% against 13–19% of Lithuanian text; the rule then fell
// to 0.935, where Lithuanian mail is flagged at 13% and 80% of its
// errors caught, far under the 20% staff accept. Residents' own mail
// (dev.jsonl) is 0.6% in those languages (1 of 160 by the same test,
// foreign). So the pool is now weighted to that share
// (TestTuneThresholdByAuthor), and the same rule on it gives 0.97: 19.7%
// flagged, 86.8% of errors caught; Lithuanian texts 19.4% and 142 of
// 164, English and Russian 66.1% and 70 of 71. Unweighted, 0.97 flags
// 25.9% and catches 212 of 235 (90.2%).
//
// sealed10.jsonl (240, a new author, 60% Lithuanian, 20% English, 20%
// Russian, half hard) was evaluated once with all of round 9 fixed:
// macro-F1 0.963, top-2 0.988, 29.6% flagged, all 9 errors caught,
// unflagged 1.000, ECE 0.027; its Lithuanian texts (142) 0.993 accurate
// at 16.9% flagged, the others (98) 0.918 at 48.0%.
//
// Round 10: two more authors, 320 each: residents who mix languages in
// one text (ids D…, 60% English and Russian) and Lithuanian texts two
// thirds of them hard (ids E…: one measure argued against another, the
// ask only at the end or as "o ne…", one measure's words for another's
// ask, and other texts that sound like proposals). Before they joined:
// macro-F1 0.940 and 0.899 (tune17's all-English-and-Russian author had
// 0.884 before round 9, tune16's 0.771 before round 8), 95% and 88% of
// errors caught at 42% and 36% flagged. They joined the examples (6,504,
// 807–825 per label). By author, now twenty-one: macro-F1 0.960,
// log-loss 0.130, ECE 0.007; English and Russian text is wrong 5.9% of
// the time (8.7% in round 9) and goes to review at 58%. The weighted
// rule keeps the threshold at 0.97: 20.0% flagged, 86.7% of errors
// caught (Lithuanian 19.8%, 169 of 195; English and Russian 58.0%, 60 of
// 65); unweighted, 26.3% and 229 of 260 (88.1%). On the sealed sets of
// new authors (sealed3 to sealed10) the queue caught 47 of 52 errors
// (90.4%) at 19.5% flagged; set by set from 11.2% to 30.0% flagged.
//
// Round 11. The confident errors by author were mostly texts that tell
// a story about one measure and ask for another ("my son finished three
// courses… I propose a job club"). The sentences that ask (a proposal
// word not turned down) now count three times when others do not
// (askSentences): by author with twenty-one authors, log-loss 0.1265 →
// 0.1179, Lithuanian errors 197 → 178 and 91.6% of them caught within
// 20% flagged (89.3% before); English and Russian errors 64 → 74. Twice
// and four times did worse, and so did repeating the n-grams too.
// Smaller rules, each judged the same way: "didn't", "can't" and the
// other "n't" verbs turn down what follows as "don't" did, as do
// "вместо" and "rather than"; "X ne man" turns down what stands before
// it; "nieko keisti nesiūlau", "nothing to add" and "nežinau, ką siūlyti"
// decline; free of charge (nemokam-, бесплатн-) is an offer as a price
// is, "organizuojame", "padėsime", "we offer" and "предлагаем" invite as
// "kviečiame" does, and "звоните" and "записывайтесь" are calls (log-loss
// 0.1300 → 0.1265 together, five fewer Lithuanian errors missed).
//
// Two more authors, 320 each, then wrote: residents replying to the
// VVG's e-mailed call, quoting it, signing, listing ideas with one main
// ask (ids F…, Lithuanian) and the web form's free text, often pasted in
// its "Pasiūlymas / Pagrindimas" shape, half hard (ids G…). Before they
// joined, with all of the above: macro-F1 0.984 and 0.963, top-2 0.997
// and 0.994, 5 of 5 and 11 of 12 errors caught at 14% and 17% flagged
// (without the asking sentences: 0.969 and 0.950, 17% and 20% flagged,
// 5 of 5 and 81% caught). They joined the examples (7,144, 887–905 per
// label). By author, now twenty-three: macro-F1 0.963, log-loss 0.111,
// ECE 0.006; the fitted temperature is 1.55, and the weighted rule on a
// grid reaching 0.995 gives the threshold 0.98: 18.8% flagged, 89.5% of
// errors caught (Lithuanian 18.6%, 168 of 188; English and Russian
// 58.5%, 71 of 73). A staff decision is now learned until 0.99.
//
// sealed11.jsonl (320, a new author, 85% Lithuanian, half hard) was
// evaluated once with all of that fixed: macro-F1 0.975, top-2 0.997,
// 20.0% flagged, all 8 errors caught, unflagged 1.000, ECE 0.014 (the
// model of round 10, run on it afterwards for comparison only: 0.972,
// 20.6% flagged, 7 of 7).
//
// Round 12: two more authors, 320 each: suggestions as they reach the
// VVG second-hand, an officer's note of a call or visit, a line of a
// meeting's minutes, a forwarded mail (ids I…, Lithuanian), and long
// considered letters that go through the strategy section by section
// and weigh measures against each other before one ask (ids J…, most
// over 500 characters, half hard). Before they joined: macro-F1 0.955
// and 0.971, top-2 0.997 and 1.000, 11 of 14 and 6 of 9 errors caught at
// 23% and 15% flagged. The notes' misses were callers' questions about
// their own case ("klausė, ar jai priklauso…", with no question mark)
// filed under 1.2 for the officer's "nukreipta", "paaiškinta": such an
// indirect question now counts as a question, about the writer's (or
// caller's) own case when it names them (by author no change in log-loss
// and one error fewer; on the notes, looked at first, 0.955 → 0.968).
// They joined the examples (7,784, 967–985 per label). By author, now
// twenty-five: macro-F1 0.964, log-loss 0.110, ECE 0.005; the fitted
// temperature 1.50 (log-loss 0.1100 against 0.1101 at 1.55, which
// stays), and the weighted rule keeps 0.98: 18.7% flagged, 88.3% of
// errors caught (Lithuanian 18.5%, 180 of 204; English and Russian
// 57.0%, 75 of 78). No variant of TestTuneByAuthorVariants beat the
// defaults beyond noise.
//
// sealed12.jsonl (320, a new author, 90% Lithuanian, a third hard) was
// evaluated once with all of it fixed: macro-F1 0.940, top-2 0.997,
// 25.9% flagged, 16 of 19 errors caught (84.2%), unflagged 0.987, ECE
// 0.021; its Lithuanian texts (287) 23.3% flagged, 15 of 18 caught. It
// is the hardest new author since sealed4: the model of round 10, run on
// it afterwards for comparison only, scored 0.934 with the same 25.9%
// flagged and 19 of 21 caught. Its three confident misses are a leaflet
// of addresses for the homeless (1.2, filed under 1.1 for the services
// it lists), projects showing where else help is (1.2 filed under 4) and
// lower property tax and free parking for small shops (other, out of
// scope, filed under 3).
//
// Round 13, on the by-author pool alone: in a sentence that concedes
// before it asks ("konsultacijų punktas – gerai, bet mums labiau reikia
// konsultanto apie darbą"), only the words after the contrast ("bet",
// "tačiau", "o", "but", "но", "а") count three times; "nesutinku, kad
// X", "I disagree that X" and "не согласен, что X" turn down the clause
// after "kad", its need words included; a company ("UAB") offering,
// with "atsakykite" as a call, reads as an advert. Log-loss 0.1101 →
// 0.1075, Lithuanian errors 204 → 198, English and Russian 78 → 75. By
// author: macro-F1 0.965, log-loss 0.107, ECE 0.005, the fitted
// temperature stays 1.55, and the weighted rule keeps 0.98: 18.7%
// flagged, 90.5% of errors caught (Lithuanian 18.4%, 179 of 198; English
// and Russian 56.8%, 72 of 75).
//
// Two more sealed authors then wrote, and each was evaluated once with
// all of that fixed. sealed13.jsonl (320, residents' ordinary mail, a
// quarter hard, 95% Lithuanian, the closest to dev.jsonl): macro-F1
// 0.975, top-2 0.994, 20.3% flagged, all 8 errors caught, unflagged
// 1.000, ECE 0.014. sealed14.jsonl (320, people who know the field and
// those they speak for, 40% hard, 15% English and Russian): macro-F1
// 0.975, top-2 0.997, 23.1% flagged, 5 of 8 caught, unflagged 0.988, ECE
// 0.024; two of its confident misses name the measure they ask for
// ("siūlau 1.1 veikloje…", "siūlau 2.1 veiklai…"), and codes are not
// features: 130 of the 7,784 examples name one, half of them not their
// label, and no text of dev.jsonl does.
//
// Round 14: two more authors, 320 each, aimed at the boundaries those
// looks showed: people who work in or around social services writing
// privately, half hard (ids N…: providing vs telling where and taking
// there, institutions that should talk to each other, feedback
// channels), and writers who quote the strategy and name measure
// numbers, not always the one they ask for (ids O…, half hard, "other"
// out of scope in the strategy's words). Before they joined: macro-F1
// 0.966 and 0.956, top-2 0.997 and 0.997, 9 of 11 and 11 of 14 errors
// caught at 23% and 26% flagged. They joined the examples (8,424,
// 1,047–1,065 per label). By author, now twenty-seven: macro-F1 0.966,
// log-loss 0.108, ECE 0.006; the fitted temperature 1.50 (0.1083
// against 0.1084 at 1.55, which stays), and the weighted rule keeps
// 0.98: 18.7% flagged, 88.7% of errors caught (Lithuanian 18.4%, 194 of
// 219; English and Russian 54.2%, 66 of 69). The new authors are harder
// than the pool (90.5% caught with twenty-five).
//
// sealed15.jsonl (320, a new author, a third hard, 90% Lithuanian) was
// evaluated once with all of it fixed: macro-F1 0.984, top-2 0.997,
// 15.3% flagged, 4 of 5 errors caught, unflagged 0.996, ECE 0.014; the
// one missed, at 1.00 ("siūlau vietoj to finansuoti kvalifikacijos
// kėlimą", 2.1 filed under 2.2), showed a bug: "vietoj to", "вместо
// этого" and a bare "instead" point back, to what was said before, and
// had turned down the ask after them. They no longer do (by author no
// change; that text's second choice is now right, top-2 1.000 at a
// second look).
//
// Round 15, judged by author alone. The calibration gained a prior for
// other: P(other) is multiplied by e^0.75 before renormalising, fitted
// with the temperature (which stays 1.55) on the by-author predictions.
// Other is a mixture of unlike mail, its examples share fewer words than
// a measure's, and a new author's other mail had less probability than it
// deserved: predicted other was right 98.5% of the time at a mean
// confidence of 0.91, and 60% of it went to review. Per-label priors for
// every measure fitted better still, but they are codes of one strategy
// and would not carry to another; fitted on two thirds of the authors and
// judged on the rest, the prior for other alone gave the fewest errors.
// By author: log-loss 0.1084 → 0.1042, Lithuanian errors 219 → 194, one
// fewer error unflagged at the same share flagged. Then English and
// Russian requests gained their proposal words ("would", "wish",
// "maybe", "бы", "лучше", "пусть", "давайте", "хочу" and the polite
// imperative "сделайте", "организуйте", "помогите", not an advert's
// "звоните"): English and Russian that proposes something had gone to
// review as proposing nothing. Log-loss 0.1035; English and Russian
// flagged 53.0% → 46.6% at 0.97, with one more error unflagged. Neither a
// vote of the three models (flag when one disagrees) nor thresholds per
// label caught more errors by author at 20% flagged; both were dropped.
// By author, twenty-seven: macro-F1 0.968, log-loss 0.1035, ECE 0.006;
// the weighted rule keeps 0.98: 18.6% flagged, 88.0% of errors caught,
// of 268 errors where there were 288.
//
// Two new sealed authors were then evaluated once each with all of it
// fixed. sealed16.jsonl (320, residents replying by e-mail, 95%
// Lithuanian, a quarter hard): macro-F1 0.981, top-2 1.000, 13.8%
// flagged, 5 of 6 errors caught, unflagged 0.996. sealed17.jsonl (320,
// short texts typed into the form on a phone, 85% Lithuanian, a third
// hard): macro-F1 0.950, top-2 0.991, 26.6% flagged, all 16 errors
// caught, unflagged 1.000; short texts give the model few words, and a
// third of what it flags is English or Russian. The model before round 15,
// run on both afterwards for comparison only: 0.981 and 0.947, 14.4% and
// 27.5% flagged, 5 of 6 and 17 of 17 caught.
//
// Round 16: two more authors, 320 each, aimed at the kinds of error the
// issue names: residents half of whose texts are those hard kinds (ids
// S…: other mail that is a question about one's own case, a complaint, a
// correction, praise of the consultation; informing about services
// that names them; volunteers who help vulnerable people; one of
// training, placement and own business turned down for another; feedback
// mechanisms that mention information), and people who rarely write to
// institutions, vaguely or off the point (T…, a third hard). Before they
// joined: macro-F1 0.981 and 0.981, top-2 1.000 and 0.997, 5 of 6 and 6
// of 6 errors caught at 14% and 22% flagged. They joined the examples
// (9,064, 1,127–1,145 per label). By author, now twenty-nine: macro-F1
// 0.968, log-loss 0.0999, ECE 0.006; the fitted calibration (1.60, 0.75)
// is no better than the default (0.0998 against 0.0999), and the
// weighted rule keeps 0.98: 19.5% flagged, 89.0% of errors caught
// (Lithuanian 19.3%, 200 of 225; English and Russian 51.5%, 61 of 64).
// A staff decision now takes up to 40 gradient steps (24 before): with
// the larger examples one correction stopped at 0.979, under the
// threshold. Last, an organisation that "organizuoja" (организует,
// предлагает) something, with "Daugiau informacijos" opening a sentence
// as the call, reads as an advert: it fires on two more examples, both
// adverts (by author log-loss 0.0999 → 0.0994, one more error caught;
// "siūlo" and "svetainėje" were tried and fired on proposals reported
// second-hand and on proposals about the VVG's website). By author the
// rule keeps 0.98: 19.5% flagged, 89.4% caught. Then comparisons: what
// comes after "nei", "negu", "than" or "чем" when a word of
// preference stands before it in the sentence ("labiau reikia X nei Y",
// "лучше X, чем Y"), or after "over" when "prefer" or "prioritise"
// does, is turned down: log-loss 0.0994 → 0.0988, one error fewer in
// each language, the same share flagged and caught.
//
// Round 17: three more authors, 320 each, aimed at what sealed16 and
// sealed17 showed: short texts typed into the form on a phone (ids V…,
// 78 characters on average, a third hard), residents writing in English,
// Russian and learner Lithuanian (W…, 80% English and Russian) and
// officers' notes of calls and forwarded mail that name one measure and
// ask for another (U…, half hard). Before they joined, each as a new
// author: macro-F1 0.978, 0.975 and 0.956; 36%, 50% and 23% flagged;
// every error, every error and 11 of 14 caught. They joined the examples
// (10,024, 1,247–1,265 per label). By author, now thirty-two, the other
// gate was refitted: weights 0.2–0.3 give log-loss 0.091–0.092, 0.4 (the
// weight fitted with six authors) 0.094 and none 0.100, so it is 0.3;
// the calibration refitted with it is (1.55, 1.00). The weighted rule
// then chooses 0.985: 19.4% flagged, 89.6% of errors caught (Lithuanian
// 19.2%, 197 of 220; English and Russian 49.2%, 59 of 62), where the old
// gate at 0.98 flagged 18.4% and caught 88.5%. A leave-one-sentence-out
// check (flag a text when dropping one of its sentences changes the
// answer) and a logistic model of the error from confidence, margin,
// length, language and the three models' agreement were tried by author
// and dropped: the first flagged 821 texts to catch 9 more errors, the
// second caught as many as the confidence alone.
//
// sealed18.jsonl (320, a new author's broad mix of residents' e-mail and
// form texts, 12% English and Russian, a quarter hard) was evaluated once
// with all of that fixed: macro-F1 0.994, top-2 0.997, 10.6% flagged,
// both errors caught, unflagged 1.000, ECE 0.014.
//
// Round 18: two more authors, 320 each: residents whose texts are hard to
// file (ids Y…, two thirds hard: one measure argued against another, the
// words of one measure and the ask of another, out-of-scope asks in the
// strategy's words) and long e-mails and replies with quotes, several
// topics and signatures mixed with one-line form entries (Z…). Before
// they joined, each as a new author: macro-F1 0.962 and 0.994, 25% and
// 14% flagged, 11 of 12 and every error caught. With them (10,664
// examples, 1,327–1,345 per label) and thirty-four authors, the
// calibration refits to (1.60, 1.05), and the weighted rule would choose
// 0.980 (17.8% flagged, 88.9% caught) or, at 0.985, flag 20.3% to catch
// 90.9%. A prior per label then mended what one prior for other could
// not: new authors' texts were drawn to 1.2 (informing) and 2.1 (training)
// more than to the other measures. Options.LabelBias adds a log-prior per
// label after the temperature; ShippedLabelBias gives the one fitted with
// the calibration on the same by-author predictions (TestTuneLabelBias),
// and the product passes it whenever a model learns from the shipped
// set. Fitted again without each author in turn, so that no author's
// figures come from a bias fitted on them: log-loss 0.0928 → 0.0919,
// macro-F1 0.971 → 0.972, and at 0.985 18.99% flagged with 91.5% of
// errors caught, where the calibration alone flagged 19.5% and caught
// 89.7%. Fitted on all, the weighted rule keeps 0.985: 19.0% flagged,
// 91.4% caught (Lithuanian 18.8%, 213 of 233; English and Russian 48.3%,
// 61 of 65). A second classification of only the sentences that ask,
// flagging a text when it disagreed, was tried by author and caught one
// more error in 10,664.
//
// Three new authors were then evaluated once each with all of that fixed.
// sealed19.jsonl (320, a broad mix, 15% English and Russian, a third
// hard): macro-F1 0.991, top-2 0.997, 20.6% flagged, one of its three
// errors caught, unflagged 0.992, ECE 0.014. sealed20.jsonl (320,
// first-time writers: seniors, refugees, Roma, farmers, parish
// volunteers): 0.988, 1.000, 23.4% flagged, all four errors caught.
// sealed21.jsonl (320, organisations and professionals writing formally):
// 0.984, 1.000, 14.7% flagged, all five caught. Together 10 of 12 errors
// at 19.6% flagged.
//
// Round 19 looked at what the residents' own mail meets. dev.jsonl is the
// nearest of our sets to the suggestions the classifier is judged on, and
// at 0.985 the model of round 18 flagged 21.2% of it (all 4 errors
// caught; 17.5% at 0.98), over the 20% staff accept, where by author it
// flagged 19.0%. Most of what it flagged was right: requests put as a
// question ("gal galima, kad…?") or as the writer's own need, with other
// as the runner-up. Its errors were proposals about the VVG's own
// publicity (a clearer website, a newsletter, spreading the news of a
// consultation), measure 4, filed under other or 1.2: the kind the
// unseen set showed too. So:
//   - dev.jsonl joined the examples (ids d…). Figures on it now train
//     without it (beforeDev in the tests).
//   - Three new authors, 320 each, wrote from measures.json, whose
//     description of 4 includes making the strategy, its calls and
//     projects known; the brief of the earlier authors had left that
//     out. They wrote the borders of 4 (ids 1x…), residents' e-mail
//     answering a call (2x…), and short practical asks put as questions
//     or wishes, with other texts of the same shape about the writer's
//     own case (3x…). Before they joined, each as a new author: macro-F1
//     0.955, 0.984 and 0.948; 19.7%, 18.4% and 52.2% flagged; 13 of 14,
//     4 of 5 and 16 of 17 errors caught. Ten of tune34's 14 errors were
//     4 filed under other. dev's joining alone had halved tune35's
//     errors (10 to 5).
//   - "Gal galima (, kad)" and "norėčiau, kad" now propose, as "būtų"
//     and "galėtų" do: the cues had read such a request as a question
//     that proposes nothing, the shape of an own-case question. By
//     author log-loss 0.0920 → 0.0911, two errors fewer. The greeting
//     "здравствуйте" had counted as a Russian polite imperative, a
//     request; it no longer does.
//   - With 11,784 examples (1,467–1,485 per label) and thirty-eight
//     authors, the calibration refits to (1.55, 1.15) and the label bias
//     with it. Fitted again without each author in turn, the bias lowers
//     the log-loss from 0.0920 to 0.0909 and the Lithuanian errors from
//     267 to 259. The weighted rule keeps 0.985: 19.0% flagged, 89.0% of
//     errors caught (Lithuanian 18.9%, 226 of 254; English and Russian
//     48.8%, 63 of 66). By author, dev as a new author now goes to review
//     at 13.1%, all 4 errors caught.
//
// Counted by author, few authors meet both targets at any threshold: 12
// of 38 at 0.97, 11 at 0.975 and 0.98, 9 at 0.985. A set's errors are
// mostly unconfident, and one confident miss fails a set of few errors.
// The threshold stays the pooled rule's.
//
// sealed22.jsonl (320, a new author's residents' e-mail answering a call,
// a quarter hard, 5% English) was evaluated once with all of round 19
// fixed: macro-F1 0.991, top-2 0.997, 14.7% flagged, all 3 errors caught,
// unflagged 1.000, ECE 0.012 (the model of round 18, run on it afterwards
// for comparison only: 0.984, 15.3% flagged, 5 of 5).
//
// Round 20: the nearest examples. Pooled over the sealed sets, the
// queue of round 19 caught 90 of 102 errors at 19.2% flagged, and the
// same twelve went through round after round at 0.99 and above: texts
// arguing one measure against another, or with one measure's words and
// another's ask. Confidence from the same linear features cannot see
// them, and neither could a vote of the three models, thresholds per
// label, a model of the error, or flagging texts with a contrast ("bet",
// "tačiau", "but"; by author four more errors caught, on held-out halves
// of the authors nothing beyond noise). What other residents' texts most
// like it were filed under can: by author, flagging a result whose ten
// nearest examples (from other authors) hold less than half their
// similarity on its label, reading all their words, catches 93.7% of
// errors at 19.0% flagged with the threshold the weighted rule then
// picks (0.975), where the confidence alone caught 89.0% at 19.0%.
// Chosen on half the authors and judged on the other half, over six
// splits, it caught 904 of 960 errors where the confidence alone caught
// 866 at a like share flagged.
// The number of neighbours mattered little (5 to 20, with shares of 0.4
// or 0.5, gave 91.8–94.1% caught within 20% flagged on a first sweep);
// ten and a plain majority were kept. Two limits make it
// fast enough: it runs only for results under 99.9% (the surest are
// rarely wrong, and asking their neighbours flagged more right answers
// than it caught errors), and it reads the postings of the rarest words
// first, 4,000 at most (a typical text has 15,000). With that budget
// the weighted rule picks 0.97: 19.0% flagged, 93.3% of errors caught
// (Lithuanian 18.9%, 237 of 254; English and Russian 45.2%, 64 of 66),
// one Lithuanian error fewer than reading everything. Dropping common words outright
// (from the index, or at more than 5% of examples) lost most of the
// signal, and keeping only each word's 256 heaviest postings a good part
// of it: the measures' own words ("darbas", "paslaugos") are common. A model with
// fewer than ten examples of a label has no index: the nearest examples
// of a text would be the common labels'. A correction the model was
// trained with, or a decision learned since, marks its text as decided,
// and its neighbours do not send it back.
//
// The sealed sets were not looked at for any of this. With it, pooled
// over sealed3 to sealed22, the queue catches 96 of 102 errors (94.1%)
// at 18.4% flagged (round 19: 90 at 19.2%); every set but four has all
// its errors caught. dev.jsonl as a new author: 16.9% flagged, all 4
// caught. The labels and
// confidences are the same as round 19's: macro-F1, top-2 and ECE do not
// move. TestFigures prints every row of the final model:
//
//	                                       macro-F1  top-2  flagged  caught  unflagged  ECE
//	sealed22 (320, new author)                0.991  0.997    14.1%     3/3      1.000  0.012
//	sealed21 (320, new author)                0.981  1.000    14.1%     6/6      1.000  0.016
//	sealed20 (320, new author)                0.984  1.000    23.1%     5/5      1.000  0.012
//	sealed19 (320, new author)                0.991  0.997    20.6%     1/3      0.992  0.011
//	sealed18 (320, new author)                0.994  0.997    12.8%     2/2      1.000  0.011
//	sealed17 (320, new author)                0.956  0.991    29.7%   14/14      1.000  0.022
//	sealed16 (320, new author)                0.994  1.000    18.1%     2/2      1.000  0.013
//	sealed15 (320, new author)                0.991  1.000    14.1%     3/3      1.000  0.008
//	sealed14 (320, new author)                0.975  0.997    20.9%     7/8      0.996  0.021
//	sealed13 (320, new author)                0.987  0.997    18.4%     4/4      1.000  0.014
//	sealed12 (320, new author)                0.947  0.994    25.9%   15/17      0.992  0.024
//	sealed11 (320, new author)                0.975  0.997    17.8%     8/8      1.000  0.015
//	sealed10 (240, new author)                0.996  1.000    22.1%     1/1      1.000  0.026
//	sealed9 (240, new author)                 0.992  1.000    17.5%     2/2      1.000  0.015
//	sealed8 (240, new author)                 0.987  1.000    16.7%     3/3      1.000  0.020
//	sealed7 (240, new author)                 0.996  1.000     7.9%     0/1      0.995  0.003
//	sealed6 (240, new author)                 0.975  0.996    17.1%     6/6      1.000  0.018
//	sealed5 (240, new author)                 1.000  1.000    12.5%     0/0      1.000  0.017
//	sealed4 (240, new author)                 0.968  0.983    23.8%     8/8      1.000  0.034
//	sealed3 (240, new author, spent)          0.975  1.000    17.1%     6/6      1.000  0.018
//	by author (11,784, weighted)              0.973      –    19.0%   93.3%          –  0.006
//	shipped (11,784), random 5-fold CV        0.971  0.995    24.3%   93.8%      0.998  0.005
//	sealed2 (160, its author in training)     0.981  1.000    15.0%     3/3      1.000  0.007
//	sealed (198, its author in training)      0.985  1.000    22.7%     3/3      1.000  0.013
//	dev (160) as a new author                 0.975  0.994    16.9%     4/4      1.000  0.021
//	dev, 5-fold CV, the others in training    0.975  0.994    16.2%     4/4      1.000  0.017
//
// Macro-F1 and top-2 meet the targets on every set, and so, pooled and
// by author, does the queue (at least 90% of errors caught at at most 20%
// flagged). With one to seventeen errors a set, one miss moves a set's
// share caught by 6 to 100 points. Flagged runs from 7.9% to 25.9% but
// for sealed17 (29.7%, phone-length texts); the random cross-validation
// flags 24.3% because a sixth of the shipped examples are English and
// Russian, which go to review about half the time. Of the six errors
// that still go through, two are sealed19's and two sealed12's: confident
// answers whose nearest examples agree with them. Staff decisions
// (Learn, and Retrain, which keeps each correction on its text) fix
// those one by one.
//
// Replaying dev.jsonl as 160 staff decisions on the model trained
// without it: each decision is kept (accuracy on the decisions learned
// 1.000 at every step), decisions arriving were right 90–100% of the time
// in each stretch of 20, and accuracy on the sealed set went from 0.990
// to 0.980: one decision fixes its text and its near neighbours, not the
// model at large, which is Retrain's job.
//
// Speed on one core (go test -bench, per CPU-second) with the 8,424
// examples of round 15 (round 16 adds 640), whose typical texts (300–800
// characters) average 403 characters: 24,000 suggestions in the calmest
// run of round 15, 736 characters 13,400, training on 10,000 examples
// 0.39 s, one Learn 0.024 ms. The machine is a shared virtual one: in the
// next two runs of the same build, training itself took 0.65 s, and
// classifying gave 13,300–17,800 and 7,600–7,900. Normalize now
// lower-cases runes below U+0500 from a table (strings.ToLower's per-rune
// Map had taken 4% of classifying); the round's new proposal words cost
// about as much. Round 17's 960 examples grew the vocabulary by 4%
// (45,012 → 46,979 rows, the same hash table) and added English and
// Russian texts to the benchmark's own mix; run in pairs with the build
// before it, the typical texts gave 19,800–21,300 against 21,800–23,200
// in the calmest three pairs, 13,600 against 13,200 in a loaded one, and
// the old build's texts on the new model 17,800–18,700 against
// 17,700–19,900: within a few percent and the machine's noise. Training
// on 10,000 examples 0.39–0.50 s, one Learn 0.04 ms.
//
// The word cache (wordcache.go): a trained model keeps, for the 15,191
// words met at least twice in its examples, the features extract makes
// of each with their vocabulary rows, so that a text stems, hashes and
// looks up only its rarer words (8% of the dev set's); the answers are
// the same to the bit (TestWordCacheSameFeatures), and it costs 1.3 MB a
// model. Run in pairs with the build before it on this machine, the
// typical texts went from 21,000, 19,600 and 19,200 to 26,100, 22,500
// and 20,100 suggestions per CPU-second (the machine slowing down across
// the three pairs); in the calmest single runs 22,100–22,500 before and
// 24,800–26,200 after. With round 18's examples and the label bias, three
// more pairs: 19,300, 19,100 and 21,600 before, 22,500, 24,400 and
// 23,200 after; 800-character texts 11,800–12,400 before, 12,400–13,900
// after. Training on 10,000 examples 0.45–0.53 s, one Learn 0.03 ms.
//
// Round 19's 1,120 examples, paired in two runs with the build before
// it (each build on its own benchmark texts; the unseen ones are now a
// sealed set's, dev.jsonl having joined): typical texts 25,600 and
// 26,600 suggestions per CPU-second against 27,800 and 24,200,
// 800-character texts 15,400 and 15,700 against 16,500 and 14,600.
// Training on 10,000 examples 0.45–0.47 CPU-s against 0.45–0.48: the gate
// now trains after the logistic regression, in the room of its document
// vectors, and a training allocates 71.7 MB where it allocated 79.1 MB.
//
// Round 20's neighbours cost speed: half of the benchmark's typical texts
// fall between the threshold and 99.9%, where the index is read, and its
// sums and postings crowd the cache the linear models use. Six runs of
// each build in turn, the fastest to the slowest: typical texts
// 20,700–22,100 suggestions per CPU-second against 26,300–27,300 before,
// 800-character texts 12,700–14,300 against 15,300–16,300. A budget of
// 8,000 postings gave 18,600–20,600 in runs like those (the build before
// 25,300–26,900), and reading all of them 19,400–20,100 in earlier,
// noisier pairs (25,900–26,800): 4,000 keeps the target with some room.
// Sums in 16-bit fixed point did not help. Training builds the index (240,000 postings, 1.9 MB) in
// about 0.03 s.
package classify
