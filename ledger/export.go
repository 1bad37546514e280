package ledger

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// ExportRecord is one submission in the export contract other tools read
// (`submissions export --format json`): field names are stable.
type ExportRecord struct {
	Ref             string   `json:"ref"`
	Consultation    string   `json:"consultation"`
	Source          string   `json:"source"`
	ReceivedAt      string   `json:"received_at"`
	Sender          string   `json:"sender"`
	SenderName      string   `json:"sender_name"`
	Sector          string   `json:"sector"`
	Subject         string   `json:"subject"`
	Text            string   `json:"text"`
	Measure         string   `json:"measure"`
	Confidence      float64  `json:"confidence"`
	Secondary       string   `json:"secondary"`
	NeedsReview     bool     `json:"needs_review"`
	ResidentMeasure string   `json:"resident_measure"`
	Late            bool     `json:"late"`
	Status          string   `json:"status"`
	Decision        string   `json:"decision"`
	DecisionReason  string   `json:"decision_reason"`
	ResponseDue     string   `json:"response_due"`
	Attachments     []string `json:"attachments"`
}

// Record converts a submission to its export form, times in loc.
func (s *Submission) Record(loc *time.Location) ExportRecord {
	names := []string{}
	for _, a := range s.Attachments {
		names = append(names, a.Filename)
	}
	sender := s.SenderEmail
	if sender == "" {
		sender = s.SenderName
	}
	return ExportRecord{
		Ref: s.Ref, Consultation: s.Consultation, Source: s.Source,
		ReceivedAt: s.ReceivedAt.In(loc).Format(time.RFC3339), Sender: sender, SenderName: s.SenderName,
		Sector: s.Sector, Subject: s.Subject, Text: s.Text, Measure: s.Measure,
		Confidence: float64(int(s.Confidence*1000+0.5)) / 1000, Secondary: s.Secondary,
		NeedsReview: s.NeedsReview, ResidentMeasure: s.ResidentMeasure, Late: s.Late, Status: s.Status,
		Decision: s.Decision, DecisionReason: s.DecisionReason,
		ResponseDue: s.ResponseDue.Format(dateLayout), Attachments: names,
	}
}

// exportColumns are the CSV and XLSX columns, in order.
var exportColumns = []string{"ref", "consultation", "source", "received_at", "sender", "sender_name", "sector",
	"subject", "text", "measure", "confidence", "secondary", "needs_review", "resident_measure", "late",
	"status", "decision", "decision_reason", "response_due", "attachments"}

func (r ExportRecord) cells() []any {
	return []any{r.Ref, r.Consultation, r.Source, r.ReceivedAt, r.Sender, r.SenderName, r.Sector,
		r.Subject, r.Text, r.Measure, r.Confidence, r.Secondary, r.NeedsReview, r.ResidentMeasure, r.Late,
		r.Status, r.Decision, r.DecisionReason, r.ResponseDue, strings.Join(r.Attachments, "; ")}
}

// Export writes the submissions matching f to w as "csv", "json" (one
// object per line) or "xlsx", streaming rows from the database.
func (db *DB) Export(ctx context.Context, w io.Writer, format string, f Filter) (int, error) {
	n := 0
	each := func(fn func(ExportRecord) error) error {
		return db.Submissions(ctx, f, func(s *Submission) error {
			var err error
			if s.Attachments, err = db.submissionAttachments(ctx, s.ID); err != nil {
				return err
			}
			n++
			return fn(s.Record(db.opt.Location))
		})
	}
	var err error
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		err = each(func(r ExportRecord) error { return enc.Encode(r) })
	case "csv":
		// A UTF-8 byte order mark makes Excel, which staff use, read the
		// Lithuanian letters correctly.
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return 0, err
		}
		cw := csv.NewWriter(w)
		if err := cw.Write(exportColumns); err != nil {
			return 0, err
		}
		err = each(func(r ExportRecord) error {
			cells := r.cells()
			rec := make([]string, len(cells))
			for i, c := range cells {
				rec[i] = cellString(c)
			}
			return cw.Write(rec)
		})
		cw.Flush()
		if err == nil {
			err = cw.Error()
		}
	case "xlsx":
		xw, xerr := newXLSX(w, "Pasiūlymai", exportColumns)
		if xerr != nil {
			return 0, xerr
		}
		err = each(func(r ExportRecord) error { return xw.Row(r.cells()) })
		if cerr := xw.Close(); err == nil {
			err = cerr
		}
	default:
		return 0, fmt.Errorf("export format %q: want csv, json or xlsx", format)
	}
	if err != nil {
		return n, fmt.Errorf("export %s: %w", format, err)
	}
	return n, nil
}

func cellString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		if v {
			return "true"
		}
		return "false"
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return fmt.Sprint(v)
	}
}
