package form

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
)

// Why a POST body could not be read.
var (
	errFormTooLarge = errors.New("body too large")
	errFormBadBody  = errors.New("body unreadable")
)

// maxParts bounds the parts of a multipart body beyond the files, so
// a body of many tiny parts cannot make us loop long.
const maxParts = 64

// rawPost is a POST body as sent: the first value of each known field,
// which fields were cut at their cap, and the files.
type rawPost struct {
	fields map[string]string
	long   map[string]bool
	files  []rawFile
	// fileCount counts every non-empty file part, also those past
	// MaxFiles whose bytes were not kept.
	fileCount int
}

// rawFile is one uploaded file; tooBig means it passed MaxUploadBytes
// and data holds only the start. The type the browser declared is not
// kept: only the sniffed one counts.
type rawFile struct {
	name   string
	data   []byte
	tooBig bool
}

// fieldCap is the most bytes kept of a field: the text may take four
// bytes a rune; the others are short by nature.
func (f *Server) fieldCap(name string) int64 {
	switch name {
	case "text":
		return int64(f.opt.MaxTextRunes)*4 + 64
	case "name", "email":
		return 1024
	}
	return 256
}

// knownField reports whether name is one of the form's text fields.
func knownField(name string) bool {
	switch name {
	case "token", "lang", "text", "measure", "name", "email", "sector", "consent", "website":
		return true
	}
	return false
}

// readPost reads the body of a POST under the request size limit
// (http.MaxBytesReader: every file at its limit plus room for the fields).
// It accepts multipart/form-data, which the form sends, and
// application/x-www-form-urlencoded, which a client without files may.
func (f *Server) readPost(w http.ResponseWriter, r *http.Request) (*rawPost, error) {
	r.Body = http.MaxBytesReader(w, r.Body, f.opt.bodyLimit())
	raw := &rawPost{fields: map[string]string{}, long: map[string]bool{}}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	switch mt {
	case "multipart/form-data":
		err = f.readMultipart(r, raw)
	case "application/x-www-form-urlencoded":
		err = f.readURLEncoded(r, raw)
	default:
		err = fmt.Errorf("content type %q: %w", mt, errFormBadBody)
	}
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		return nil, fmt.Errorf("read form: %w", errFormTooLarge)
	}
	if err != nil && !errors.Is(err, errFormBadBody) {
		err = fmt.Errorf("%w: %w", errFormBadBody, err)
	}
	return raw, err
}

func (f *Server) readURLEncoded(r *http.Request, raw *rawPost) error {
	if err := r.ParseForm(); err != nil {
		return fmt.Errorf("parse form: %w", err)
	}
	for name, vs := range r.PostForm {
		if !knownField(name) || len(vs) == 0 {
			continue
		}
		v, limit := vs[0], f.fieldCap(name)
		if int64(len(v)) > limit {
			v, raw.long[name] = v[:limit], true
		}
		raw.fields[name] = v
	}
	return nil
}

func (f *Server) readMultipart(r *http.Request, raw *rawPost) error {
	mr, err := r.MultipartReader()
	if err != nil {
		return fmt.Errorf("open multipart: %w", err)
	}
	for parts := 0; ; parts++ {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read part %d: %w", parts, err)
		}
		if parts-raw.fileCount > maxParts {
			return fmt.Errorf("more than %d parts: %w", maxParts, errFormBadBody)
		}
		name := p.FormName()
		if name == "files" {
			err = f.readFilePart(p, raw)
		} else if knownField(name) {
			err = f.readFieldPart(p, name, raw)
		}
		if err != nil {
			return err
		}
	}
}

func (f *Server) readFieldPart(p io.Reader, name string, raw *rawPost) error {
	limit := f.fieldCap(name)
	b, err := io.ReadAll(io.LimitReader(p, limit+1))
	if err != nil {
		return fmt.Errorf("read field %s: %w", name, err)
	}
	if _, dup := raw.fields[name]; dup {
		return nil // the first value counts, as with url.Values.Get
	}
	if int64(len(b)) > limit {
		b, raw.long[name] = b[:limit], true
	}
	raw.fields[name] = string(b)
	return nil
}

// readFilePart keeps a file's bytes up to MaxUploadBytes, and only for
// the first MaxFiles files; the rest is read past (and still counts
// against the body limit).
func (f *Server) readFilePart(p *multipart.Part, raw *rawPost) error {
	rf := rawFile{name: p.FileName()}
	limit, keep := f.opt.MaxUploadBytes, int64(1)
	if raw.fileCount < f.opt.MaxFiles {
		keep = limit + 1
	}
	data, err := io.ReadAll(io.LimitReader(p, keep))
	if err != nil {
		return fmt.Errorf("read file part: %w", err)
	}
	// A file input left empty still sends a part, with no name and no
	// bytes: that is no file.
	if (rf.name == "" || rf.name == ".") && len(data) == 0 {
		return nil
	}
	raw.fileCount++
	if raw.fileCount > f.opt.MaxFiles {
		return nil
	}
	rf.data = data
	if int64(len(data)) > limit {
		rf.data, rf.tooBig = data[:limit], true
	}
	raw.files = append(raw.files, rf)
	return nil
}
