package form

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// seenMax bounds the used-token memory. At the default 20 posts an
// hour per client it is far above what a VVG sees in a token lifetime;
// past it the oldest receipts are forgotten (a very late refresh of those
// pages then shows the form again instead of the receipt).
const seenMax = 50000

// seenTokens makes tokens single-use. The first POST with a token claims
// its nonce; a second one arriving while the first runs waits for it, and
// one arriving later gets the first receipt back. A claim that ends
// without a receipt (refused fields, store error) is released, so the
// resident can send the same page again.
type seenTokens struct {
	ttl time.Duration
	max int

	mu    sync.Mutex
	m     map[string]*seenEntry
	order *list.List // of *seenEntry that are done, oldest first
}

// seenEntry is one claimed nonce.
type seenEntry struct {
	nonce   string
	done    chan struct{} // closed when the owner finishes
	page    *receiptPage
	expires time.Time
	elem    *list.Element
}

func newFormSeen(ttl time.Duration, max int) *seenTokens {
	return &seenTokens{ttl: ttl, max: max, m: map[string]*seenEntry{}, order: list.New()}
}

// claim returns the receipt page of an earlier, successful use of nonce,
// or owner=true when the caller now owns the nonce and must call finish.
// It waits for an owner still at work, until ctx ends.
func (s *seenTokens) claim(ctx context.Context, nonce string) (page *receiptPage, owner bool, err error) {
	for {
		s.mu.Lock()
		e, ok := s.m[nonce]
		if !ok {
			e = &seenEntry{nonce: nonce, done: make(chan struct{})}
			s.m[nonce] = e
			s.mu.Unlock()
			return nil, true, nil
		}
		s.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
		if e.page != nil {
			return e.page, false, nil
		}
		// The owner failed and released the nonce: try to own it.
	}
}

// finish ends the claim on nonce: with a receipt page it is remembered
// until the token could no longer be valid (issued+ttl); with nil it is
// released.
func (s *seenTokens) finish(nonce string, page *receiptPage, issued, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.m[nonce]
	if e == nil {
		return
	}
	select {
	case <-e.done:
		return // finished before: only the owner's first finish counts
	default:
	}
	if page == nil {
		delete(s.m, nonce)
		close(e.done)
		return
	}
	e.page = page
	e.expires = issued.Add(s.ttl)
	e.elem = s.order.PushBack(e)
	close(e.done)
	s.evict(now)
}

// evict forgets receipts whose tokens expired, and the oldest ones past
// max. Entries are roughly in expiry order (claims follow issues), so
// stopping at the first live one is enough.
func (s *seenTokens) evict(now time.Time) {
	for el := s.order.Front(); el != nil; el = s.order.Front() {
		e := el.Value.(*seenEntry)
		if s.order.Len() <= s.max && now.Before(e.expires) {
			return
		}
		s.order.Remove(el)
		delete(s.m, e.nonce)
	}
}
