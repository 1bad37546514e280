package form

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
)

// Why a POST body could not be read.
var (
	errFormTooLarge = errors.New("body too large")
	errFormBadBody  = errors.New("body unreadable")
	// errFormRefused: the checks that must pass before any file is read
	// (cookie and token) failed; the fields read so far are kept.
	errFormRefused = errors.New("refused before the files")
)

// maxParts bounds the parts of a multipart body beyond the files, so
// a body of many tiny parts cannot make us loop long.
const maxParts = 64

// sniffBytes is how much of a file is kept in memory for sniff: what
// http.DetectContentType reads (512) and what sniffZip reads (4096).
const sniffBytes = 4096

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

// rawFile is one uploaded file, streamed to a temporary file as it
// arrives: memory holds only its first sniffBytes. tooBig means it passed
// MaxUploadBytes, and then nothing of it is kept on disk. The type the
// browser declared is not kept: only the sniffed one counts.
type rawFile struct {
	name   string
	head   []byte // the first sniffBytes
	size   int64
	sha256 string // hex, of the whole file
	path   string // the temporary file, "" when tooBig or empty
	tooBig bool
}

// cleanup removes the temporary files of raw. The handler defers it: the
// store has read what it keeps by the time the request ends.
func (raw *rawPost) cleanup() {
	if raw == nil {
		return
	}
	for _, f := range raw.files {
		if f.path != "" {
			os.Remove(f.path)
		}
	}
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
//
// authorize runs on the fields before the first file is read (the form
// puts its token first and its files after the text): a post without our
// cookie and a valid token is refused with errFormRefused having read
// only its small fields, so the resident's text can be shown again, and
// never its files. Files are streamed to temporary files, so memory holds
// a few kilobytes of each whatever its size. On any error the files
// already written are removed.
func (f *Server) readPost(w http.ResponseWriter, r *http.Request, authorize func(fields map[string]string) error) (*rawPost, error) {
	r.Body = http.MaxBytesReader(w, r.Body, f.opt.bodyLimit())
	raw := &rawPost{fields: map[string]string{}, long: map[string]bool{}}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	switch mt {
	case "multipart/form-data":
		err = f.readMultipart(r, raw, authorize)
	case "application/x-www-form-urlencoded":
		err = f.readURLEncoded(r, raw)
	default:
		err = fmt.Errorf("content type %q: %w", mt, errFormBadBody)
	}
	if err != nil {
		raw.cleanup()
		raw.files = nil
	}
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		return nil, fmt.Errorf("read form: %w", errFormTooLarge)
	}
	if err != nil && !errors.Is(err, errFormBadBody) && !errors.Is(err, errFormRefused) {
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

func (f *Server) readMultipart(r *http.Request, raw *rawPost, authorize func(map[string]string) error) error {
	mr, err := r.MultipartReader()
	if err != nil {
		return fmt.Errorf("open multipart: %w", err)
	}
	authorized := false
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
			if !authorized {
				if err := authorize(raw.fields); err != nil {
					return fmt.Errorf("%w: %w", errFormRefused, err)
				}
				authorized = true
			}
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

// readFilePart streams a file to a temporary file up to MaxUploadBytes,
// hashing it on the way, and only for the first MaxFiles files; the rest
// is read past (and still counts against the body limit). A file past
// the limit is dropped as soon as it passes it.
func (f *Server) readFilePart(p *multipart.Part, raw *rawPost) error {
	rf := rawFile{name: p.FileName()}
	keep := raw.fileCount < f.opt.MaxFiles
	var (
		tmp *os.File
		err error
	)
	if keep {
		tmp, err = os.CreateTemp(f.opt.UploadDir, "vvgintake-upload-*")
		if err != nil {
			return fmt.Errorf("store upload: %w", err)
		}
		rf.path = tmp.Name()
	}
	h := sha256.New()
	buf := make([]byte, 32<<10)
	for {
		n, rerr := p.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			rf.size += int64(n)
			if keep && !rf.tooBig {
				if len(rf.head) < sniffBytes {
					rf.head = append(rf.head, chunk[:min(len(chunk), sniffBytes-len(rf.head))]...)
				}
				if rf.size > f.opt.MaxUploadBytes {
					rf.tooBig = true
				} else {
					h.Write(chunk)
					if _, err := tmp.Write(chunk); err != nil {
						tmp.Close()
						os.Remove(rf.path)
						return fmt.Errorf("store upload: %w", err)
					}
				}
			}
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			if tmp != nil {
				tmp.Close()
				os.Remove(rf.path)
			}
			return fmt.Errorf("read file part: %w", rerr)
		}
	}
	if tmp != nil {
		if err := tmp.Close(); err != nil {
			os.Remove(rf.path)
			return fmt.Errorf("store upload: %w", err)
		}
	}
	// A file input left empty still sends a part, with no name and no
	// bytes: that is no file.
	if (rf.name == "" || rf.name == ".") && rf.size == 0 {
		if rf.path != "" {
			os.Remove(rf.path)
		}
		return nil
	}
	raw.fileCount++
	if !keep {
		return nil
	}
	if rf.tooBig || rf.size == 0 {
		os.Remove(rf.path)
		rf.path = ""
	}
	rf.sha256 = hex.EncodeToString(h.Sum(nil))
	raw.files = append(raw.files, rf)
	return nil
}
