package intake

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/vvgintake/vvgintake/intake/mailparse"
	"github.com/vvgintake/vvgintake/ledger"
)

// WriteContent writes stored content (a raw message or an attachment)
// with digest sha to w. An e-mail's attachment is not stored apart from
// its message (ledger schema version 4): it is decoded from the raw bytes
// of the message that holds it, read whole — one message, for one staff
// request. The caller checks the digest of what was written.
func WriteContent(ctx context.Context, db *ledger.DB, sha string, w io.Writer) (int64, error) {
	n, err := db.WriteBlob(ctx, sha, w)
	var im *ledger.InMessageError
	if !errors.As(err, &im) {
		return n, err
	}
	var raw bytes.Buffer
	if _, err := db.WriteBlob(ctx, im.RawSHA256, &raw); err != nil {
		return 0, fmt.Errorf("read message %d: %w", im.Message, err)
	}
	m := mailparse.ParseBytes(raw.Bytes(), mailparse.ParseOptions{KeepContent: true, MaxAttachmentBytes: 1 << 40,
		MaxAttachments: 1 << 20, MaxMessageBytes: int64(raw.Len()) + 1})
	for _, a := range m.Attachments {
		if a.SHA256 != im.SHA256 || a.Refused != "" {
			continue
		}
		var n int64
		for _, p := range append([][]byte{a.Data}, a.Parts...) {
			k, err := w.Write(p)
			n += int64(k)
			if err != nil {
				return n, err
			}
		}
		return n, nil
	}
	return 0, fmt.Errorf("attachment %s: not found decoding message %d: the ledger is damaged", im.SHA256, im.Message)
}
