package mailparse

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Phrases of machine mail, matched in lower-cased text with
// strings.Contains (built once, only read).
var (
	bounceWords = []string{"could not be delivered", "couldn't be delivered", "wasn't delivered", "was not delivered",
		"delivery has failed", "delivery to the following recipient", "permanent error", "permanent fatal error",
		"user unknown", "unknown user", "mailbox unavailable", "mailbox not found", "mailbox full", "mailbox does not exist",
		"address rejected", "no such user", "recipient not found", "undeliverable", "nepavyko pristatyti", "nepristatytas", "nepristatyta"}
	// dsnTextWords open the reports of the common mail systems (Postfix,
	// Exim, qmail, Exchange, Gmail, Sendmail).
	dsnTextWords = []string{"this is the mail system at host", "this message was created automatically by mail delivery software",
		"this is the qmail-send program", "delivery has failed to these recipients", "your message couldn't be delivered",
		"your message could not be delivered", "your message wasn't delivered", "i'm sorry to have to inform you that your message could not",
		"undelivered mail returned to sender", "the original message was received at", "delivery to the following recipients failed",
		"message you sent could not be delivered", "could not be delivered to one or more of its recipients",
		"jūsų laiškas nepristatytas", "jūsų laiško nepavyko pristatyti"}
	automatedWords = []string{"sugeneruotas automatiškai", "išsiųstas automatiškai", "siunčiamas automatiškai",
		"prašome neatsakyti", "prašome į jį neatsakyti", "neatsakykite į šį laišką", "į šį laišką neatsakykite",
		"do not reply to this email", "do not reply to this e-mail", "do not reply to this message", "please do not reply",
		"this is an automated message", "this is an automated email", "this is an automated e-mail", "this is an automated notification",
		"was sent automatically", "was generated automatically", "automatically generated message", "automatically generated email"}
)

// containsAny reports whether s holds any of the phrases.
func containsAny(s string, phrases []string) bool {
	for _, p := range phrases {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// Patterns for machine mail; compiled once, only read.
var (
	// Mail systems sign reports with many names: MAILER-DAEMON,
	// Mail.Delivery.System, "Mail Delivery Subsystem", mail_administrator.
	daemonLocalRE = regexp.MustCompile(`^(mailer[-_. ]?daemon|mail[-_. ]?daemon|postmaster|mdaemon|microsoftexchange[0-9a-f]*|mail[-_. ]?delivery([-_. ]?(sub)?system|[-_. ]?service)?|mail[-_. ]?administrator|mail[-_. ]?system|maildelivery|deliverystatus|delivery[-_. ]?status([-_. ]?notification)?)$`)
	// daemonNameRE is the same for the display name, which a mail
	// system sets even when its address is an ordinary-looking one.
	daemonNameRE   = regexp.MustCompile(`(?i)^\s*"?(mail(er)?[-_. ]?daemon|mail delivery (sub)?system|mail delivery service|mail administrator|postmaster|delivery status notification|mail system|pašto pristatymo (sistema|tarnyba))"?\s*$`)
	noreplyLocalRE = regexp.MustCompile(`^(no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|dont[-_.]?reply|no[-_.]?answer|neatsakyti|neatsakykite|nereply|bounces?)([-_.+].*)?$|[-_.+](no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply)$|^(notifications?|notify|alerts?|auto[-_.]?reply|autoresponder|automailer|robot|mailer|system|sistema|pranesimai)$`)
	dsnSubjectRE   = regexp.MustCompile(`(?i)^\s*(undeliverable|undelivered|undeliverable mail|delivery status notification|delivery failure|delivery notification|failure notice|mail delivery failed|mail delivery failure|returned mail|message not delivered|delivery has failed|non-delivery|nepristatyta|nepristatytas|nepristatomas|laiškas nepristatytas|nepavyko pristatyti|unzustellbar|non remis|недоставлен)`)
	statusCodeRE   = regexp.MustCompile(`\b5\.[0-7]\.[0-9]{1,3}\b`) // RFC 3463 permanent failure
	oofSubjectRE   = regexp.MustCompile(`(?i)^\s*(automatic reply|auto[ -]?reply|auto[ -]?response|autoresponse|auto:|autoreply|out of (the )?office|ooo\b|automatinis atsakymas|automatinis pranešimas|autoatsakymas|auto atsakymas|esu atostogose|atostogauju|nesu darbe|nebūsiu darbe|abwesenheitsnotiz|automatische antwort|réponse automatique|respuesta automática|автоответ|автоматический ответ|odpowiedź automatyczna|automatyczna odpowiedź|autosvar|vacation reply|on vacation)`)
	subjectLoopRE  = regexp.MustCompile(`(?i)\b(mail loop|loop detected|looping (message|mail)|message loop|loop alert|laiškų ciklas)\b`)
	replyPrefixRE  = regexp.MustCompile(`(?i)^\s*(re|ats|aw|sv|odp|antw|vs|réf|ref)\s*(\[\d+\])?\s*:`)
)

// bounceReason explains why a message is a delivery failure report, or
// returns "".
func bounceReason(in kindInput) string {
	switch {
	case in.reportType == "delivery-status" || in.reportType == "global-delivery-status":
		return "multipart/report; report-type=" + in.reportType // RFC 3464, RFC 6522
	case in.dsnPart:
		return "message/delivery-status part" // RFC 3464 section 2
	case in.h.has("X-Failed-Recipients"):
		return "X-Failed-Recipients present"
	}
	if subjectLoopRE.MatchString(in.subject) {
		return "mail loop report " + quoteShort(in.subject)
	}
	// A report written by a mail system says so in its first lines,
	// whoever it claims to be from; a resident forwarding one, or
	// proposing something, is not a report.
	if !in.forward && containsAny(in.lowerText, dsnTextWords) && !hasProposal(foldLatin(in.lowerText)) {
		return "delivery failure report text"
	}
	nullRP := nullReturnPath(in.h)
	local := localPart(in.from.Addr)
	// No sender address at all is a mail system's mark too: a person's
	// program always fills in From.
	daemon := daemonLocalRE.MatchString(local) || daemonNameRE.MatchString(in.from.Name) || in.from.Addr == ""
	dsnSubject := dsnSubjectRE.MatchString(in.subject)
	if !nullRP && !daemon && !dsnSubject {
		return ""
	}
	failure := containsAny(in.lowerFull, bounceWords) ||
		strings.Contains(in.lowerFull, "5.") && statusCodeRE.MatchString(in.lowerFull)
	switch {
	case daemon && (nullRP || dsnSubject || failure):
		if in.from.Addr == "" {
			return "no sender address, reporting a delivery failure"
		}
		return "From " + local + " reporting a delivery failure"
	case dsnSubject && (nullRP || failure):
		return "delivery failure subject " + quoteShort(in.subject)
	case nullRP && failure && !in.h.has("Auto-Submitted"):
		// RFC 5321 section 4.5.5: reports go out with a null reverse
		// path. Vacation replies do too (RFC 5230), but they say so in
		// Auto-Submitted.
		return "null Return-Path and a delivery failure text"
	}
	return ""
}

// nullReturnPath reports "Return-Path: <>".
func nullReturnPath(h mimeHeader) bool {
	for _, v := range h.values("Return-Path") {
		if strings.ReplaceAll(strings.TrimSpace(v), " ", "") == "<>" {
			return true
		}
	}
	return false
}

// autoReplyReason explains why a message is automatic (out-of-office,
// autoresponder, no-reply notification), or returns "".
func autoReplyReason(in kindInput) string {
	switch in.reportType {
	case "disposition-notification", "global-disposition-notification":
		return "multipart/report; report-type=" + in.reportType // RFC 8098 read receipt
	case "feedback-report":
		return "multipart/report; report-type=feedback-report" // RFC 5965
	}
	switch in.reportPart {
	case "message/feedback-report":
		// RFC 5965 §2: an abuse report, whatever multipart carries it.
		return "message/feedback-report part"
	case "message/disposition-notification", "message/global-disposition-notification":
		return in.reportPart + " part" // RFC 8098
	}
	// RFC 3834 section 5: any Auto-Submitted value but "no" marks
	// automatic mail.
	if v := in.h.get("Auto-Submitted"); v != "" && headerKeyword(v) != "no" {
		return "Auto-Submitted: " + strings.TrimSpace(v)
	}
	// RFC 5321 §4.5.5: notifications go out with a null reverse path,
	// and a person's mail never does. A message delivered with
	// Return-Path: <> was sent by a program.
	if nullReturnPath(in.h) {
		return "null Return-Path: <>"
	}
	// X-Loop is set by procmail recipes, ticket systems and list
	// servers on mail they generate, so that they do not answer it
	// again: it is an automaton's.
	if v := in.h.get("X-Loop"); v != "" {
		return "X-Loop: " + quoteShort(v)
	}
	// Non-standard markers from webmail and Exchange autoresponders.
	for _, name := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Auto-Reply", "X-Autogenerated"} {
		if v := in.h.get(name); v != "" {
			if kw := headerKeyword(v); kw != "no" && kw != "false" && kw != "0" {
				return name + ": " + strings.TrimSpace(v)
			}
		}
	}
	// RFC 3834 section 3.1.8 lists Precedence as a sign of automatic
	// mail; auto_reply and junk mean it is not a list post.
	if p := headerKeyword(in.h.get("Precedence")); p == "auto_reply" || p == "junk" {
		return "Precedence: " + p
	}
	local := localPart(in.from.Addr)
	switch {
	case daemonLocalRE.MatchString(local):
		return "From " + local
	case noreplyLocalRE.MatchString(local):
		return "From a no-reply address (" + local + ")"
	case oofSubjectRE.MatchString(in.subject):
		return "out-of-office subject " + quoteShort(in.subject)
	}
	if in.forward {
		return "" // a resident forwarding a notification means it
	}
	// Our acknowledgement itself says it was sent automatically, so a
	// resident's reply quoting it must not count.
	if containsAny(in.lowerText, automatedWords) && !replyPrefixRE.MatchString(in.subject) {
		return "text says it was sent automatically"
	}
	// Out-of-office wording alone could be a resident's aside: the rule
	// asks for the shape of a notice too, and no proposal (kind_absence.go).
	if why := absenceReason(in); why != "" {
		return why
	}
	return ""
}

// spamHeaderReason reads the verdict of the receiving MX's filter:
// SpamAssassin (X-Spam-Flag, X-Spam-Status), rspamd (X-Spam,
// X-Spamd-Result, X-Rspamd-Action) and Microsoft 365's spam confidence
// level (SCL 5-9 is spam; -1 marks mail the tenant trusts). A forged
// header could only make a sender's own mail look like spam, so they are
// read from anywhere in the header.
func spamHeaderReason(h mimeHeader) string {
	if headerKeyword(h.get("X-Spam-Flag")) == "yes" {
		return "X-Spam-Flag: YES"
	}
	if headerKeyword(h.get("X-Spam-Status")) == "yes" {
		return "X-Spam-Status: Yes"
	}
	if headerKeyword(h.get("X-Spam")) == "yes" {
		return "X-Spam: yes"
	}
	// rspamd: "default: True [15.20 / 15.00]" says the metric passed
	// its threshold.
	if v := strings.ToLower(h.get("X-Spamd-Result")); strings.HasPrefix(strings.TrimSpace(v), "default: true") {
		return "X-Spamd-Result: " + quoteShort(h.get("X-Spamd-Result"))
	}
	switch a := strings.ToLower(strings.TrimSpace(h.get("X-Rspamd-Action"))); a {
	case "reject", "add header", "rewrite subject", "soft reject":
		return "X-Rspamd-Action: " + a
	}
	if scl, ok := spamConfidence(h); ok && scl >= 5 {
		return fmt.Sprintf("Microsoft spam confidence level %d", scl)
	}
	return ""
}

// spamConfidence reads Microsoft's SCL from X-MS-Exchange-Organization-SCL
// or from the SCL:n item of X-Forefront-Antispam-Report.
func spamConfidence(h mimeHeader) (int, bool) {
	if v := strings.TrimSpace(h.get("X-MS-Exchange-Organization-SCL")); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n, true
		}
	}
	for item := range strings.SplitSeq(h.get("X-Forefront-Antispam-Report"), ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(item), ":")
		if ok && strings.EqualFold(k, "SCL") {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
				return n, true
			}
		}
	}
	return 0, false
}

// listReason explains why a message is a list post or bulk mail.
func listReason(h mimeHeader) string {
	switch {
	case h.has("List-Id"):
		return "List-Id present" // RFC 2919
	case h.has("List-Post"):
		return "List-Post present" // RFC 2369
	case h.has("List-Unsubscribe"):
		return "List-Unsubscribe present" // RFC 2369, RFC 8058
	}
	if p := headerKeyword(h.get("Precedence")); p == "bulk" || p == "list" {
		return "Precedence: " + p // RFC 3834 section 3.1.8
	}
	if h.has("Mailing-List") || h.has("X-Mailing-List") {
		return "Mailing-List present"
	}
	// List servers' own mail (moderation notices, loop alerts) and their
	// posts carry these even when the RFC 2369 fields are missing.
	for _, name := range []string{"X-List-Administrivia", "X-BeenThere", "X-Mailman-Version", "X-Google-Loop", "X-Sympa-To", "X-Ml-Name"} {
		if h.has(name) {
			return name + " present"
		}
	}
	return ""
}

// quoteShort quotes a shortened header value for a reason text.
func quoteShort(s string) string {
	return `"` + truncRunes(strings.TrimSpace(s), 60) + `"`
}
