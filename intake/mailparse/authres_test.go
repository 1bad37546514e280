package mailparse

import (
	"reflect"
	"testing"
)

func TestParseAuthResults(t *testing.T) {
	tests := []struct {
		name, value string
		want        AuthResults
	}{
		{"gmail", "mx.google.com;\n       dkim=pass header.i=@example.lt header.s=s1 header.b=Ab12;\n       spf=pass (google.com: domain of jonas@example.lt designates 192.0.2.1 as permitted sender) smtp.mailfrom=jonas@example.lt;\n       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.lt",
			AuthResults{ServID: "mx.google.com", Results: []AuthResult{
				{"dkim", "pass", map[string]string{"header.i": "@example.lt", "header.s": "s1", "header.b": "Ab12"}},
				{"spf", "pass", map[string]string{"smtp.mailfrom": "jonas@example.lt"}},
				{"dmarc", "pass", map[string]string{"header.from": "example.lt"}}}}},
		{"microsoft without authserv-id", "spf=fail (sender IP is 192.0.2.9) smtp.mailfrom=bank.example; dkim=none (message not signed) header.d=none;dmarc=fail action=quarantine header.from=bank.example;compauth=fail reason=000",
			AuthResults{ServID: "", Results: []AuthResult{
				{"spf", "fail", map[string]string{"smtp.mailfrom": "bank.example"}},
				{"dkim", "none", map[string]string{"header.d": "none"}},
				{"dmarc", "fail", map[string]string{"header.from": "bank.example"}},
				{"compauth", "fail", map[string]string{}}}}},
		{"version, spaces around =, quoted reason", `mx.example.net 1; dkim = fail reason="bad; signature" header.d=example.com`,
			AuthResults{ServID: "mx.example.net", Results: []AuthResult{
				{"dkim", "fail", map[string]string{"header.d": "example.com"}}}}},
		{"none", "mx.example.net; none", AuthResults{ServID: "mx.example.net"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, "From: a@example.lt\nAuthentication-Results: "+tt.value+"\nSubject: x\n\nx\n", ParseOptions{})
			if len(m.Auth) != 1 {
				t.Fatalf("got %d fields, want 1", len(m.Auth))
			}
			if !reflect.DeepEqual(m.Auth[0], tt.want) {
				t.Errorf("got %+v\nwant %+v", m.Auth[0], tt.want)
			}
		})
	}
}

// TestUpstreamSpamHeaders: the receiving server's filters decide too
// (rspamd and Microsoft's SCL were not read before).
func TestUpstreamSpamHeaders(t *testing.T) {
	const person = "Jonas <jonas@example.net>"
	const text = "Siūlau įrengti dviračių taką tarp kaimų."
	tests := []struct {
		name, extra string
		want        Kind
	}{
		{"rspamd result true", "X-Spamd-Result: default: True [16.20 / 15.00];\n", KindSpam},
		{"rspamd result false", "X-Spamd-Result: default: False [1.20 / 15.00];\n", KindSuggestion},
		{"rspamd add header", "X-Rspamd-Action: add header\n", KindSpam},
		{"rspamd no action", "X-Rspamd-Action: no action\n", KindSuggestion},
		{"exchange scl 6", "X-MS-Exchange-Organization-SCL: 6\n", KindSpam},
		{"exchange scl -1", "X-MS-Exchange-Organization-SCL: -1\n", KindSuggestion},
		{"forefront scl 5", "X-Forefront-Antispam-Report: CIP:192.0.2.1;CTRY:;LANG:en;SCL:5;SRV:;IPV:NLI;\n", KindSpam},
		{"forefront scl 1", "X-Forefront-Antispam-Report: CIP:192.0.2.1;SCL:1;SRV:;\n", KindSuggestion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkKind(t, kindMessage(person, "Pasiūlymas", tt.extra, text), tt.want, "")
		})
	}
}
