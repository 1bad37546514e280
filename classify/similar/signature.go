package similar

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
)

// The signature's parameters. Changing any of them changes what a stored
// signature means, so it bumps SignatureVersion.
const (
	// SignatureVersion is the first byte of a marshalled Signature.
	SignatureVersion = 1
	// numHashes MinHash values estimate a Jaccard similarity J with a
	// standard error of sqrt(J(1-J)/128), 0.044 at J = 0.5: far finer than
	// the gap between a campaign copy (J ≥ 0.5) and two residents who
	// wrote the same idea in their own words (J < 0.1).
	numHashes = 128
	// shingleWords: word pairs. A short template ("Pritariu pasiūlymui,
	// kad …" and a name, a dozen words) with its signature changed keeps
	// most of its pairs but few of its triples.
	shingleWords = 2
	// sigSeed fixes the hash family; every signature ever stored uses it.
	sigSeed = 0x5f1e_19c0_ffee_2026
)

// marshalledSize is the largest MarshalBinary output: the version byte, the
// shingle count as a uvarint and the MinHash values.
const marshalledSize = 1 + binary.MaxVarintLen32 + 4*numHashes

// ErrSignature is returned for bytes that are not a signature this version
// can read. A stored signature of another version is not an error to
// recover from: sign the text again (Sign) and store the new one.
var ErrSignature = errors.New("not a signature of this version")

// Signature is the compact fingerprint of one suggestion for finding near
// duplicates: MinHash over the set of its word pairs (shingles), each word
// stemmed and folded, plus the size of that set. Two signatures estimate
// the Jaccard similarity of the two sets and, with the sizes, how much of
// the smaller text the larger one contains. The zero Signature is that of
// an empty text and matches nothing.
type Signature struct {
	shingles uint32
	mins     [numHashes]uint32
}

// Sign returns the signature of text.
func Sign(text string) Signature {
	return signWords(splitWords(text))
}

func signWords(ws []word) Signature {
	var s Signature
	hs := shingleHashes(ws)
	if len(hs) == 0 {
		return s
	}
	s.shingles = uint32(len(hs))
	// One hash family member per MinHash: h_i(x) = high 32 bits of
	// a_i·x + b_i (mod 2^64), a_i odd. x is already a well-mixed 64-bit
	// hash, so multiply-add-shift spreads it as well as a fresh hash
	// would, at one multiplication per value.
	var a, b [numHashes]uint64
	seed := uint64(sigSeed)
	for i := range a {
		a[i] = splitmix(&seed) | 1
		b[i] = splitmix(&seed)
	}
	for i := range s.mins {
		s.mins[i] = math.MaxUint32
	}
	for _, x := range hs {
		for i := range s.mins {
			if v := uint32((a[i]*x + b[i]) >> 32); v < s.mins[i] {
				s.mins[i] = v
			}
		}
	}
	return s
}

// shingleHashes returns the distinct hashes of the text's runs of
// shingleWords words (one run of all of them when there are fewer).
func shingleHashes(ws []word) []uint64 {
	if len(ws) == 0 {
		return nil
	}
	n := max(1, len(ws)-shingleWords+1)
	hs := make([]uint64, 0, n)
	for i := 0; i < n; i++ {
		h := uint64(fnvOffset)
		for _, w := range ws[i:min(i+shingleWords, len(ws))] {
			h = fnvString(h, w.fold)
			h = (h ^ 0x1f) * fnvPrime // word separator
		}
		hs = append(hs, mix(h))
	}
	slices.Sort(hs)
	return slices.Compact(hs)
}

// Empty reports whether s is the signature of a text with no words.
func (s Signature) Empty() bool { return s.shingles == 0 }

// Similarity estimates the Jaccard similarity |A∩B|/|A∪B| of the two
// texts' shingle sets and the containment |A∩B|/min(|A|,|B|): how much of
// the shorter text the longer one repeats.
func (s Signature) Similarity(o Signature) (jaccard, containment float64) {
	if s.shingles == 0 || o.shingles == 0 {
		return 0, 0
	}
	same := 0
	for i := range s.mins {
		if s.mins[i] == o.mins[i] {
			same++
		}
	}
	jaccard = float64(same) / numHashes
	// |A∩B| = J·|A∪B| and |A∪B| = |A|+|B|−|A∩B| give |A∩B| = J(|A|+|B|)/(1+J).
	inter := jaccard * float64(s.shingles+o.shingles) / (1 + jaccard)
	containment = min(1, inter/float64(min(s.shingles, o.shingles)))
	return jaccard, containment
}

// MarshalBinary encodes s as SignatureVersion, the shingle count (uvarint)
// and the MinHash values (little-endian uint32), at most 518 bytes. The
// ledger stores these bytes per submission.
func (s Signature) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, marshalledSize)
	b = append(b, SignatureVersion)
	b = binary.AppendUvarint(b, uint64(s.shingles))
	if s.shingles == 0 {
		return b, nil // an empty text has no MinHash values worth storing
	}
	for _, m := range s.mins {
		b = binary.LittleEndian.AppendUint32(b, m)
	}
	return b, nil
}

// UnmarshalBinary decodes what MarshalBinary wrote. Bytes of another
// version or of the wrong length give ErrSignature.
func (s *Signature) UnmarshalBinary(b []byte) error {
	if len(b) == 0 || b[0] != SignatureVersion {
		return fmt.Errorf("decode signature: %w", ErrSignature)
	}
	n, k := binary.Uvarint(b[1:])
	// A count in more bytes than it needs would decode to a signature
	// that marshals to other bytes; only the shortest form is valid.
	if k <= 0 || n > math.MaxUint32 || k != len(binary.AppendUvarint(nil, n)) {
		return fmt.Errorf("decode signature: shingle count: %w", ErrSignature)
	}
	rest := b[1+k:]
	if n == 0 {
		if len(rest) != 0 {
			return fmt.Errorf("decode signature: %d bytes after an empty one: %w", len(rest), ErrSignature)
		}
		*s = Signature{}
		return nil
	}
	if len(rest) != 4*numHashes {
		return fmt.Errorf("decode signature: %d value bytes, want %d: %w", len(rest), 4*numHashes, ErrSignature)
	}
	s.shingles = uint32(n)
	for i := range s.mins {
		s.mins[i] = binary.LittleEndian.Uint32(rest[4*i:])
	}
	return nil
}

// FNV-1a, 64 bit.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// mix is MurmurHash3's fmix64: FNV's low bits are weak, and both the
// MinHash family and the LSH buckets need all 64 bits spread.
func mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// splitmix is SplitMix64, the generator of the fixed hash coefficients.
func splitmix(state *uint64) uint64 {
	*state += 0x9e3779b97f4a7c15
	z := *state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
