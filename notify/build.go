package notify

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// view is a template view: it takes the rendered subject for the HTML
// body's <title> (see titled).
type view interface{ setSubject(string) }

// A view of a message that answers a resident's (an acknowledgement, a
// decision letter) is a reply: it names the message it threads under.
type reply interface {
	thread() (inReplyTo string, references []string)
}

// A view of a message that carries files (the reports) lists them.
type withFiles interface{ files() []attachment }

// build is the frame every builder shares whose message is one text and
// one HTML body (all but the digest): the templates checked, h addressed
// to the recipients, the data's own problems (nil entries are none)
// reported with the address's at once, the view that mk makes of the
// addressed data composed, then threaded under the resident's message
// when it is a reply and given the files it lists. It exists so that each
// builder says only what it checks and what its templates see. Errors
// read "build <what> <id>: …".
func build(t *Templates, kind, what, id string, h *Head, to []Addr, problems []error, autoSubmitted string, mk func() view) (*gomail.Msg, error) {
	if t == nil {
		return nil, fmt.Errorf("build %s: templates are nil", what)
	}
	env, err := h.address(to...)
	if err := errors.Join(append([]error{err}, problems...)...); err != nil {
		return nil, fmt.Errorf("build %s %s: %w", what, id, err)
	}
	v := mk()
	m, err := t.compose(&env, kind, autoSubmitted, v)
	if err != nil {
		return nil, fmt.Errorf("build %s %s: %w", what, id, err)
	}
	if r, ok := v.(reply); ok {
		inReplyTo, references := r.thread()
		threadHeaders(m, inReplyTo, references)
	}
	if f, ok := v.(withFiles); ok {
		if err := attach(m, f.files()...); err != nil {
			return nil, fmt.Errorf("build %s %s: %w", what, id, err)
		}
	}
	return m, nil
}

// cleanRef readies the ref, which the subject shows as [Ref], for a
// header, and says what is wrong with it: only that it is empty.
func (r *Reply) cleanRef() error {
	r.Ref = headerText(r.Ref)
	if r.Ref == "" {
		return errors.New("ref is empty")
	}
	return nil
}

// thread names the resident's message the reply answers.
func (r *Reply) thread() (string, []string) { return r.InReplyTo, r.References }

// notOneOf says that the value v of a field is none of those allowed
// ("source \"fax\" is not email, form or staff"); nil when it is one.
func notOneOf(field, v string, allowed ...string) error {
	if slices.Contains(allowed, v) {
		return nil
	}
	last := len(allowed) - 1
	return fmt.Errorf("%s %q is not %s or %s", field, v, strings.Join(allowed[:last], ", "), allowed[last])
}

// attachment is one file a report carries, under name ("" when the
// report has none of it).
type attachment struct {
	name  string
	data  []byte
	ctype gomail.ContentType
}

// fileName is base+ext, or "" when there is no data to attach under it.
func fileName(base, ext string, data []byte) string {
	if len(data) == 0 {
		return ""
	}
	return base + ext
}

// attach adds the files of a report to m, skipping those without a name;
// an error names the file by its type ("attach csv: …").
func attach(m *gomail.Msg, files ...attachment) error {
	for _, f := range files {
		if f.name == "" {
			continue
		}
		if err := m.AttachReader(f.name, bytes.NewReader(f.data), gomail.WithFileContentType(f.ctype)); err != nil {
			return fmt.Errorf("attach %s: %w", strings.TrimPrefix(path.Ext(f.name), "."), err)
		}
	}
	return nil
}

// shown is what a digest or report lists of its items: a copy of the
// first max of them (see capItems), each passed through each when it is
// not nil (to put its times in the reader's zone), and how many it leaves
// out.
func shown[T any](items []T, max int, each func(T) T) (list []T, hidden int) {
	n := capItems(len(items), max)
	list = make([]T, n)
	for i, it := range items[:n] {
		if each != nil {
			it = each(it)
		}
		list[i] = it
	}
	return list, len(items) - n
}
