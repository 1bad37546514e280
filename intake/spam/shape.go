package spam

import "strconv"

// finish feeds the structural ("shape") features: counts made into
// buckets, one feature per count. They carry what words cannot across
// languages — a Russian advert and an English one both shout, quote
// prices and link out — so a model trained mostly on English spam still
// has something to go on in a language it has never seen.
func (e *extractor) finish(h Hints) {
	t, s := &e.part[0], &e.part[1]
	e.bucket("words", t.words, 0, 1, 10, 30, 80, 200)
	e.bucket("subject words", s.words, 0, 1, 4, 10)
	e.bucket("exclamations", t.excl, 0, 1, 2, 4, 8)
	e.bucket("!! runs", t.exclRuns+s.exclRuns, 0, 1, 3)
	e.bucket("subject exclamations", s.excl, 0, 1, 2)
	// A share means little over a few letters ("OK", "VVG").
	if t.letters >= 20 {
		e.bucket("capitals%", percent(t.upper, t.letters), 0, 10, 25, 50)
	}
	if s.letters >= 8 {
		e.bucket("subject capitals%", percent(s.upper, s.letters), 0, 30, 60)
	}
	e.bucket("capitalised words", t.capsWords+s.capsWords, 0, 1, 3, 10)
	e.bucket("amounts", e.money, 0, 1, 2, 4)
	e.bucket("currency signs", e.curSign, 0, 1, 3)
	e.bucket("percentages", e.percent, 0, 1, 3)
	e.bucket("phone numbers", e.phones, 0, 1, 2)
	e.bucket("links", e.urls, 0, 1, 2, 4, 8)
	if e.urls > 0 {
		e.bucket("links per 100 words", percent(e.urls, max(t.words, 1)), 0, 3, 10, 30)
	}
	e.bucket("IP links", e.ipURLs, 0, 1)
	e.bucket("tracked links", e.tracked, 0, 1)
	e.bucket("addresses", e.emails, 0, 1, 3)
	e.bucket("emoji", e.emoji, 0, 1, 3, 8)
	letters := e.scripts[scriptLatin] + e.scripts[scriptBaltic] + e.scripts[scriptCyrillic] + e.scripts[scriptOther]
	if letters > 0 {
		e.bucket("cyrillic%", percent(e.scripts[scriptCyrillic], letters), 0, 1, 10, 50, 90)
		e.bucket("other script%", percent(e.scripts[scriptOther], letters), 0, 1, 10, 50)
	}
	e.bucket("lithuanian letters", e.scripts[scriptBaltic], 0, 1, 5, 20)
	e.bucket("mixed-script words", e.mixed, 0, 1, 3)
	e.bucket("long words", e.long, 0, 1, 5)
	// Only many links count: a person's HTML mail links a petition or
	// carries a signature with a few links, a mailing links everything.
	e.bucket("html links", h.Links, 0, 8, 20)
	e.bucket("attachments", h.Attachments, 0, 1, 3)
	e.bucket("reply", b2i(h.Reply), 0, 1)
	e.bucket("name mismatch", b2i(h.NameMismatch), 0, 1)
}

// bucket feeds the feature "name in the bucket of edges that holds v":
// bucket i holds edges[i] ≤ v < edges[i+1], the last one everything from
// its edge up. The lowest bucket, the usual case, feeds nothing: the
// model's bias stands for it, and a feature that fired for every message
// would only trade weight with the bias and muddle the evidence.
func (e *extractor) bucket(name string, v int, edges ...int) {
	b := 0
	for b+1 < len(edges) && v >= edges[b+1] {
		b++
	}
	if b == 0 {
		return
	}
	h := hashByte(hashString(hashByte(fnvOffset, nsShape), name), byte(b))
	e.s.shape(h, name, edges[b], upper(edges, b))
}

// upper is the last value of bucket b, or -1 for the open last bucket.
func upper(edges []int, b int) int {
	if b+1 < len(edges) {
		return edges[b+1] - 1
	}
	return -1
}

func percent(n, of int) int { return n * 100 / of }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// shapeName renders a shape feature for Evidence: "links≥8",
// "exclamations 2–3", "reply=1".
func shapeName(name string, lo, hi int) string {
	switch {
	case hi < 0:
		return name + "≥" + strconv.Itoa(lo)
	case hi == lo:
		return name + "=" + strconv.Itoa(lo)
	}
	return name + " " + strconv.Itoa(lo) + "–" + strconv.Itoa(hi)
}
