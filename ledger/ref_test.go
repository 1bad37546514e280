package ledger

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

func TestSubjectRefs(t *testing.T) {
	tests := []struct {
		subject, prefix, want string
	}{
		{"Re: [VVG-2026-0042] Jūsų pasiūlymas gautas", "VVG", "[VVG-2026-0042]"},
		{"Re: VVG-2026-0042 papildymas", "", "[VVG-2026-0042]"},
		{"dėl vvg-2026-0042 ir [VVG-2026-0043], vėl VVG-2026-0042", "VVG", "[VVG-2026-0042 VVG-2026-0043]"},
		{"RE: [VVG–2026–0042]", "VVG", "[VVG-2026-0042]"},
		{"[ABC-2027-7] x", "ABC", "[ABC-2027-7]"},
		{"XVVG-2026-0042 or VVG-2026-00421234", "VVG", "[]"},
		{"VVG-26-1", "VVG", "[]"},
		{"no refs", "VVG", "[]"},
	}
	dbs := map[string]*DB{}
	for _, tt := range tests {
		t.Run(tt.subject, func(t *testing.T) {
			db := dbs[tt.prefix]
			if db == nil {
				var err error
				db, err = Open(context.Background(), filepath.Join(t.TempDir(), "l.db"), Options{RefPrefix: tt.prefix})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
			}
			if got := fmt.Sprint(db.SubjectRefs(tt.subject)); got != tt.want {
				t.Errorf("SubjectRefs(%q) with prefix %q: got %s, want %s", tt.subject, tt.prefix, got, tt.want)
			}
		})
	}
}

// TestRefRoundTrip checks that what nextRef writes, SubjectRefs reads back.
func TestRefRoundTrip(t *testing.T) {
	db := openTest(t, nil)
	ref := formatRef(db.opt.RefPrefix, 2026, 7)
	if got := db.SubjectRefs("Re: [" + ref + "] ačiū"); len(got) != 1 || got[0] != ref {
		t.Errorf("SubjectRefs of %q: got %v", ref, got)
	}
}
