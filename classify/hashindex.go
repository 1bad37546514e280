package classify

// hashIndex maps 64-bit feature hashes to dense row numbers 0, 1, 2, …
// with open addressing and linear probing. A slot keeps only a 32-bit
// fingerprint of the hash (the low bits pick the slot), so a slot is 8
// bytes and a lookup usually costs one cache line. Two features are
// confused only if they share both a probe run and a fingerprint, about
// one chance in 10⁵ for a whole vocabulary of 10⁵ features. It is several
// times faster than a Go map for this one job, which dominates both
// training and classification.
type hashIndex struct {
	slots  []slot
	hashes []uint64 // by row, to re-place rows when the table grows
}

type slot struct {
	fp  uint32 // 0 = empty
	row int32
}

func newHashIndex(capacity int) *hashIndex {
	size := 1024
	for size < capacity*2 {
		size *= 2
	}
	return &hashIndex{slots: make([]slot, size)}
}

// split gives a hash's fingerprint (never 0) and its first slot.
func (x *hashIndex) split(h uint64) (fp uint32, i uint64) {
	h = mix(h)
	fp = uint32(h >> 32)
	if fp == 0 {
		fp = 1
	}
	return fp, h & uint64(len(x.slots)-1)
}

// get returns the row of h, or -1.
func (x *hashIndex) get(h uint64) int32 {
	fp, i := x.split(h)
	mask := uint64(len(x.slots) - 1)
	for ; ; i = (i + 1) & mask {
		s := x.slots[i]
		switch s.fp {
		case fp:
			return s.row
		case 0:
			return -1
		}
	}
}

// intern returns the row of h, giving it the next row number if it is
// new; added reports whether it was.
func (x *hashIndex) intern(h uint64) (row int32, added bool) {
	// Grow at half full: linear probing degrades quickly past that.
	if 2*(len(x.hashes)+1) > len(x.slots) {
		x.grow()
	}
	fp, i := x.split(h)
	mask := uint64(len(x.slots) - 1)
	for ; ; i = (i + 1) & mask {
		switch x.slots[i].fp {
		case fp:
			return x.slots[i].row, false
		case 0:
			row = int32(len(x.hashes))
			x.slots[i] = slot{fp, row}
			x.hashes = append(x.hashes, h)
			return row, true
		}
	}
}

func (x *hashIndex) grow() {
	x.slots = make([]slot, 2*len(x.slots))
	mask := uint64(len(x.slots) - 1)
	for row, h := range x.hashes {
		fp, i := x.split(h)
		for x.slots[i].fp != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = slot{fp, int32(row)}
	}
}

// mix spreads FNV's bits (fmix64 from MurmurHash3).
func mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}
