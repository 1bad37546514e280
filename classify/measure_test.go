package classify

import (
	"reflect"
	"strings"
	"testing"
)

func TestReadExamples(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []Example
		wantErr string // substring; "" means no error
	}{
		{
			name: "two lines with note ignored",
			in: `{"id":"a1","text":"Siūlau kursus","label":"2.1","note":"why"}
{"id":"a2","text":"Duobė gatvėje","label":"other"}`,
			want: []Example{{"a1", "Siūlau kursus", "2.1"}, {"a2", "Duobė gatvėje", "other"}},
		},
		{
			name: "blank lines and CRLF",
			in:   "\r\n{\"id\":\"a1\",\"text\":\"t\",\"label\":\"3\"}\r\n\r\n",
			want: []Example{{"a1", "t", "3"}},
		},
		{name: "empty input", in: "", want: nil},
		{
			name:    "bad json names its line",
			in:      "{\"id\":\"a1\",\"text\":\"t\",\"label\":\"3\"}\n\n{\"id\": \"a2\", \"text\": \n",
			wantErr: "line 3",
		},
		{
			name:    "missing label",
			in:      `{"id":"a1","text":"t"}`,
			wantErr: "line 1: missing label",
		},
		{
			name:    "not an object",
			in:      `["a1","t","3"]`,
			wantErr: "line 1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadExamples(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ReadExamples error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadExamples: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ReadExamples = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestShippedExamples(t *testing.T) {
	ms, shipped, _ := aleksotas(t)
	codes := make(map[string]bool)
	for _, m := range ms {
		codes[m.Code] = true
	}
	perLabel := make(map[string]int)
	ids := make(map[string]bool)
	for _, e := range shipped {
		if !codes[e.Label] {
			t.Errorf("example %s: label %q is not an Aleksotas measure", e.ID, e.Label)
		}
		if ids[e.ID] {
			t.Errorf("example %s: duplicate id", e.ID)
		}
		ids[e.ID] = true
		perLabel[e.Label]++
	}
	for code := range codes {
		// 44-55 composed first, plus 23-30 of our first tuning set, 20
		// of the second and of dev.jsonl, and 40 of each later one per
		// label: balanced, so no label wins by count.
		if n := perLabel[code]; n < 1440 || n > 1520 {
			t.Errorf("label %s has %d shipped examples, want 1440–1520", code, n)
		}
	}
}

func TestShippedExamplesEmbedded(t *testing.T) {
	tests := []struct {
		name    string
		wantErr bool
	}{
		{"aleksotas", false},
		{"nowhere", true},
		{"../testdata/dev", true},
	}
	_, onDisk, _ := aleksotas(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ShippedExamples(tt.name)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ShippedExamples(%q) error = nil, want an error", tt.name)
				}
				return
			}
			if err != nil {
				t.Fatalf("ShippedExamples(%q): %v", tt.name, err)
			}
			if !reflect.DeepEqual(got, onDisk) {
				t.Errorf("embedded examples differ from examples/%s.jsonl (%d vs %d)", tt.name, len(got), len(onDisk))
			}
		})
	}
	if got := strings.Join(ShippedStrategies(), ","); got != "aleksotas" {
		t.Errorf("ShippedStrategies() = %s, want aleksotas", got)
	}
}
