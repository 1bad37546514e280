package results

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/vvgintake/vvgintake/ledger"
)

// TestByTheme: ordered by theme, the rows run by measure as configured,
// then the largest theme first, then as received; every format gets a
// theme column, and a suggestion not grouped yet closes its measure.
func TestByTheme(t *testing.T) {
	ctx := context.Background()
	ss := []sample{
		{name: "A", text: "Dviračių takas palei Nemuną.", measure: "4", decision: "accepted", reason: "Taip."},
		{name: "B", text: "Dienos centras senjorams.", measure: "2.1", decision: "accepted", reason: "Taip."},
		{name: "C", text: "Apšvietimas Veiverių gatvėje.", measure: "4", decision: "partly", reason: "Iš dalies."},
		{name: "D", text: "Senjorų dienos centras Aleksote.", measure: "2.1", decision: "accepted", reason: "Taip."},
		{name: "E", text: "Dviračių takai ir suoliukai.", measure: "4", decision: "rejected", reason: "Ne."},
		{name: "F", text: "Karšti pietūs senjorams.", measure: "2.1", decision: "partly", reason: "Iš dalies."},
	}
	f := newFixture(t, ss)
	id := func(i int) int64 { return f.subs[i].ID }
	rev, _, err := f.db.GroupingHead(ctx, f.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.db.SaveGrouping(ctx, f.c.ID, rev, ledger.GroupingChange{
		Themes: []ledger.ThemeRow{{ID: 1, Measure: "4", Words: []string{"dviračių", "takas"}},
			{ID: 2, Measure: "2.1", Label: "Dienos centras"}, {ID: 3, Measure: "4", Words: []string{"apšvietimas"}},
			{ID: 4, Measure: "2.1", Words: []string{"pietūs"}}},
		Members: []ledger.MemberRow{{Submission: id(0), Theme: 1}, {Submission: id(4), Theme: 1}, {Submission: id(1), Theme: 2},
			{Submission: id(3), Theme: 2}, {Submission: id(2), Theme: 3}},
		Next: 5,
	})
	if err != nil {
		t.Fatal(err)
	}
	tb, err := Build(ctx, f.db, f.c.Slug, Options{OrgName: "Aleksoto VVG", Measures: measures, Loc: vilniusLoc(t), ByTheme: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range tb.Rows {
		got = append(got, r.Ref+" "+r.Theme)
	}
	want := []string{ // 2.1 before 4, as configured; F is in no theme yet
		f.subs[1].Ref + " Dienos centras", f.subs[3].Ref + " Dienos centras", f.subs[5].Ref + " ",
		f.subs[0].Ref + " dviračių, takas", f.subs[4].Ref + " dviračių, takas", f.subs[2].Ref + " apšvietimas",
	}
	if !slices.Equal(got, want) {
		t.Errorf("rows by theme:\n got %q\nwant %q", got, want)
	}
	if tb.Rows[0].ThemeCount != 2 {
		t.Errorf("theme count %d, want 2", tb.Rows[0].ThemeCount)
	}
	for _, format := range Formats {
		var buf bytes.Buffer
		if err := tb.Write(&buf, format, ';'); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		switch format {
		case "html":
			if s := buf.String(); !strings.Contains(s, `<th scope="col">Tema</th>`) || !strings.Contains(s, `data-label="Tema">Dienos centras</td>`) {
				t.Errorf("html has no theme column")
			}
		case "csv":
			if s := buf.String(); !strings.Contains(strings.SplitN(s, "\n", 2)[0], ";Tema;") || !strings.Contains(s, ";Dienos centras;") {
				t.Errorf("csv has no theme column:\n%s", s)
			}
		case "pdf":
			if text := pdfText(t, buf.Bytes()); !strings.Contains(text, "Tema") || !strings.Contains(text, "Dienos centras") {
				t.Errorf("pdf has no theme column:\n%s", text)
			}
		}
	}
	// Without the option the table is as before: by reference, no column.
	plain := f.table(t, "lt")
	var buf bytes.Buffer
	if err := plain.Write(&buf, "csv", ';'); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "Tema") || plain.Rows[0].Ref != f.subs[0].Ref {
		t.Errorf("the plain table changed:\n%s", buf.String())
	}
}
