package mailparse

import (
	"regexp"
	"strings"
)

// The patterns below are compiled once and only read. Each matches one
// trimmed line unless noted. They cover the clients residents use, in
// Lithuanian and English first, with the neighbouring languages whose
// clients show up in Lithuanian mailboxes (Russian, Polish, German).

// attributionRE matches the line a client writes above a quoted reply:
// "On Thu, 19 Nov 2026 at 09:00, VVG <vvg@example.lt> wrote:",
// "2026-11-20, 10:15, VVG <vvg@example.lt> rašė:".
var attributionRE = regexp.MustCompile(`(?i)^(.{0,400}?)\s(wrote|rašė|rašo|parašė|написал\(а\)|написала|написал|пишет|napisał\(a\)|napisała|napisał|schrieb|a écrit|escribió|ha scritto|schreef|escreveu|kirjoitti|skrev)\s*:$`)

// inlineAttributionRE matches an attribution with the quoted text run on
// after it on the same line, as Yahoo Mail for Android writes it
// ("  On Fri, … VVG<vvg@example.lt> wrote:   Laba diena,").
var inlineAttributionRE = regexp.MustCompile(`(?i)^(.{0,400}?)\s(wrote|rašė|rašo|parašė|написал\(а\)|написала|написал|napisał\(a\)|napisała|napisał|schrieb|a écrit|escribió)\s*:\s{2,}\S`)

// forwardRE matches the line that opens forwarded content in Gmail,
// Thunderbird, Yahoo, Apple Mail and Lithuanian webmail.
var forwardRE = regexp.MustCompile(`(?i)^(-{2,}\s*(forwarded message|persiųstas laiškas|persiunčiamas laiškas|persiųsta žinutė|persiųstas pranešimas|weitergeleitete nachricht|message transféré|пересылаемое сообщение|przekazana wiadomość|wiadomość przekazana)\s*-*|(begin forwarded message|pradžia persiųsto laiško|persiųsto laiško pradžia|persiunčiamas laiškas|anfang der weitergeleiteten nachricht|начало переадресованного сообщения)\s*:?)$`)

// originalRE matches the separator Outlook and Outlook Express put above
// the original message, used for replies and (in plain text) forwards.
var originalRE = regexp.MustCompile(`(?i)^-{2,}\s*(original message|pradinis laiškas|originalus laiškas|originali žinutė|pradinis pranešimas|originalus pranešimas|pirminis laiškas|ursprüngliche nachricht|message d'origine|mensaje original|исходное сообщение|wiadomość oryginalna)\s*-{2,}$`)

// Labels of the header block Outlook writes above a quoted original
// ("From:/Sent:/To:/Subject:", Lithuanian "Nuo:/Išsiųsta:/Kam:/Tema:").
var (
	fromLabelRE = regexp.MustCompile(`(?i)^\*?(from|nuo|siuntėjas|von|de|od|от|van|da)\s*:\*?\s*\S`)
	dateLabelRE = regexp.MustCompile(`(?i)^\*?(sent|date|išsiųsta|išsiųstas|data|išsiuntimo data|gesendet|datum|envoyé|enviado|wysłano|wysłane|отправлено|дата|verzonden|inviato)\s*:`)
	toLabelRE   = regexp.MustCompile(`(?i)^\*?(to|kam|gavėjas|gavėjai|an|à|para|do|кому|aan|subject|tema|betreff|objet|asunto|temat|тема|onderwerp|oggetto)\s*:`)
	labelRE     = regexp.MustCompile(`^\*?[\p{L} .'-]{1,30}\s*:`)
)

// footerRE matches the line mobile apps and webmail append.
var footerRE = regexp.MustCompile(`(?i)^((sent from|sent with|sent using|sent via|sent on)\s.*\b(iphone|ipad|android|samsung|galaxy|huawei|xiaomi|mobile|phone|blackberry|outlook|yahoo|mail|aol|proton)\b.*|get outlook for (ios|android|mac|windows)\b.*|(išsiųsta|siųsta|išsiunčiama|siunčiama)\s(iš|naudojant|su|per)\s.{0,80}|(von meinem|enviado desde|envoyé de mon|inviato da|отправлено с|отправлено из|wysłane z)\s.*)$`)

// disclaimerStartRE matches the opening words of a legal disclaimer.
var disclaimerStartRE = regexp.MustCompile(`(?i)^\W{0,3}(konfidencialumo pranešimas|pranešimas apie konfidencialumą|konfidencialu|konfidenciali informacija|atsakomybės apribojimas|šiame (el\.|elektroniniame) ?laiške|šiame laiške|šis (el\.|elektroninis) ?laiškas|šis laiškas|šio laiško|el\. laiške esanti|šiame pranešime|confidentiality (notice|note|statement|warning)|disclaimer|legal notice|important notice|this (e-?mail|email|message|communication)|the information (contained )?in this|privileged (and|&|/) ?confidential|please consider the environment|think before you print|prieš spausdindami)`)

// disclaimerWordRE matches the vocabulary that makes a paragraph a
// disclaimer rather than a resident's sentence starting "Šiame laiške…".
var disclaimerWordRE = regexp.MustCompile(`(?i)konfidenc|adresat|per klaidą|neteisėt|draudžiama|confidential|intended (solely )?for|privileged|addressee|in error|prohibited|unauthori[sz]ed|environment|spausdin`)

// cidPlaceholderRE matches Outlook's "[cid:image001.jpg@01DB…]" stand-ins
// for inline images in text/plain.
var cidPlaceholderRE = regexp.MustCompile(`\[cid:[^\]\s]{1,200}\]`)

// headerBlockAt reports whether lines[i] opens an Outlook-style header
// block: a From label followed within a few lines by a date label and a
// recipient or subject label.
func headerBlockAt(lines []string, i int) bool {
	if i >= len(lines) {
		return false
	}
	t := strings.TrimSpace(lines[i])
	if c := strings.IndexByte(t, ':'); c < 0 || c > 40 || !fromLabelRE.MatchString(t) {
		return false
	}
	date, to := false, false
	for j := i + 1; j < len(lines) && j <= i+8; j++ {
		t := strings.TrimSpace(lines[j])
		date = date || dateLabelRE.MatchString(t)
		to = to || toLabelRE.MatchString(t)
	}
	return date && to
}

// attributionAt returns how many lines (1 to 3; Gmail wraps long ones)
// starting at lines[i] form a reply attribution, or 0.
func attributionAt(lines []string, i int) int {
	var parts []string
	for n := 1; n <= 3 && i+n <= len(lines); n++ {
		t := strings.TrimSpace(lines[i+n-1])
		if t == "" || strings.HasPrefix(t, ">") {
			return 0
		}
		parts = append(parts, t)
		joined := strings.Join(parts, " ")
		if len(joined) > 500 {
			return 0
		}
		// Cheap tests first: every attribution has a colon after its verb.
		var m []string
		if strings.HasSuffix(joined, ":") {
			m = attributionRE.FindStringSubmatch(joined)
		} else if n == 1 && strings.Contains(joined, ":  ") {
			m = inlineAttributionRE.FindStringSubmatch(joined)
		}
		if m == nil {
			continue
		}
		// The part before the verb names a date or an address; a
		// sentence like "Kaimynas man rašė:" does neither.
		if strings.ContainsAny(m[1], "0123456789@<") || strings.HasPrefix(strings.ToLower(m[1]), "on ") {
			return n
		}
		return 0
	}
	return 0
}

// nextNonEmpty returns the index of the first non-blank line from i, or
// len(lines).
func nextNonEmpty(lines []string, i int) int {
	for ; i < len(lines); i++ {
		if t := strings.TrimSpace(lines[i]); t != "" && t != quoteMark && t != headerMark {
			return i
		}
	}
	return len(lines)
}

// forwardFollows reports whether a forward marker comes within the next
// few non-blank lines, as in Gmail's gmail_quote around a forward.
func forwardFollows(lines []string, i int) bool {
	for n, j := 0, i; n < 4; n++ {
		j = nextNonEmpty(lines, j)
		if j >= len(lines) {
			return false
		}
		if forwardRE.MatchString(strings.TrimLeft(strings.TrimSpace(lines[j]), "> ")) {
			return true
		}
		j++
	}
	return false
}
