package main

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// corpus is every message, sorted into what is trained on (with
// cross-validation) and what is only evaluated.
type corpus struct {
	saSpam    []doc // spam-1: trained on
	saHam     []doc // easy-ham-1, easy-ham-2, hard-ham-1 less the held-out fifth: trained on
	residents []doc // the shared suggestions, the dev mail, the hand-written residents: trained on
	trainSpam []doc // hand-written modern spam, and the corpus's own spam: trained on

	heldSpam []doc // spam-2: never trained on
	heldHam  []doc // a fifth of each SpamAssassin ham set, chosen by id hash: never trained on
	evalSpam []doc // hand-written non-English spam: never trained on
}

func (c *corpus) summary() string {
	return fmt.Sprintf("train: %d SA spam, %d SA ham, %d residents, %d other spam; held out: %d SA spam (spam-2), %d SA ham, %d non-English spam",
		len(c.saSpam), len(c.saHam), len(c.residents), len(c.trainSpam), len(c.heldSpam), len(c.heldHam), len(c.evalSpam))
}

// heldOut reports whether a SpamAssassin ham message is kept back for
// reporting: a fifth of each set, by a hash of its id so the choice does
// not depend on file order.
func heldOut(id string) bool {
	h := fnv.New32a()
	h.Write([]byte("held:" + id))
	return h.Sum32()%5 == 0
}

func load(o options) (*corpus, error) {
	c := &corpus{}
	var err error
	if c.saSpam, err = readSpamAssassin(o.sa, "spam-1", true); err != nil {
		return nil, err
	}
	if c.heldSpam, err = readSpamAssassin(o.sa, "spam-2", true); err != nil {
		return nil, err
	}
	for _, g := range []string{"easy-ham-1", "easy-ham-2", "hard-ham-1"} {
		ds, err := readSpamAssassin(o.sa, g, false)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			if heldOut(d.ID) {
				c.heldHam = append(c.heldHam, d)
			} else {
				c.saHam = append(c.saHam, d)
			}
		}
	}

	if o.suggestions != "" {
		ds, err := readSuggestions(o.suggestions)
		if err != nil {
			return nil, err
		}
		c.add(ds)
	}
	dev, err := devMail(o)
	if err != nil {
		return nil, err
	}
	for _, r := range dev {
		c.add([]doc{{ID: "devmail/" + r.ID, Set: "devmail", Spam: r.Kind == "spam", Fields: r}})
	}
	for _, f := range []struct {
		name string
		spam bool
		dst  *[]doc
	}{
		{"residents_lt.jsonl", false, &c.residents},
		{"residents_en.jsonl", false, &c.residents},
		{"residents_ru.jsonl", false, &c.residents},
		{"spam_train.jsonl", true, &c.trainSpam},
		{"spam_eval.jsonl", true, &c.evalSpam},
	} {
		ds, err := readJSONL(filepath.Join(o.testdata, f.name), f.spam)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		*f.dst = append(*f.dst, ds...)
	}
	return c, nil
}

// add files docs of the repository's own corpora as residents or spam.
func (c *corpus) add(ds []doc) {
	for _, d := range ds {
		if d.Spam {
			c.trainSpam = append(c.trainSpam, d)
		} else {
			c.residents = append(c.residents, d)
		}
	}
}

// devMail parses the .eml folders and rewrites testdata/devmail.jsonl,
// which the package's tests read (they cannot import the parser: the
// spam package is a leaf). When no folder is there it reads the file as
// it is.
func devMail(o options) ([]record, error) {
	path := filepath.Join(o.testdata, "devmail.jsonl")
	var all []record
	found := false
	for _, dir := range strings.Split(o.mail, ",") {
		if dir == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "expect.json")); err != nil {
			continue
		}
		found = true
		rs, err := readMailDir(dir)
		if err != nil {
			return nil, err
		}
		all = append(all, rs...)
	}
	if found {
		return all, writeJSONL(path, all)
	}
	ds, err := readJSONL(path, false)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		all = append(all, d.Fields)
	}
	return all, nil
}
