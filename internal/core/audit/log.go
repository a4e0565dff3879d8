package audit

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// Store is the storage the access log needs. It has no method that
// changes or removes a record.
type Store interface {
	// InTx runs fn in a transaction, or in the one already in ctx.
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	// LockAuditHead returns the head of the chain and, called inside a
	// transaction, keeps every other appender waiting until that
	// transaction ends.
	LockAuditHead(ctx context.Context) (Head, error)
	// AppendAuditRecord stores r and makes it the head; r.Seq must follow
	// the head (Conflict otherwise).
	AppendAuditRecord(ctx context.Context, r Record) error
	// FindAuditHead returns the head of the chain without locking it.
	FindAuditHead(ctx context.Context) (Head, error)
	// FindAuditChain returns at most limit records with afterSeq < Seq <=
	// upToSeq, in Seq order.
	FindAuditChain(ctx context.Context, afterSeq, upToSeq int64, limit int) ([]Record, error)
	// FindAuditRecordsBySubject returns a subject's records with from <= At
	// < to (a zero time is no bound), newest first, and their total.
	FindAuditRecordsBySubject(ctx context.Context, subjectID string, from, to time.Time, limit, offset int) ([]Record, int, error)
}

// Log is the access log: it appends events to the hash chain, verifies the
// chain and lists a resident's records.
type Log struct {
	store Store
	clock clock.Clock
	batch int // records read per query by Verify
}

// NewLog returns the access log kept in store, with times from clk.
func NewLog(store Store, clk clock.Clock) *Log {
	return &Log{store: store, clock: clk, batch: 1000}
}

var _ Recorder = (*Log)(nil)

// Record appends e to the log with the current time, the next sequence
// number and the hash chain. When ctx carries a transaction the record is
// part of it: it is stored if and only if that transaction commits.
//
// Appends are serialised through the chain head, so the chain never forks;
// inside a longer transaction the head stays locked until its end, so
// callers record late in their transaction.
func (l *Log) Record(ctx context.Context, e Event) (err error) {
	defer errs.Wrap(&err, "audit.Record")
	e = cleanEvent(e)
	if err := check(e); err != nil {
		return err
	}
	return l.store.InTx(ctx, func(ctx context.Context) error {
		head, err := l.store.LockAuditHead(ctx)
		if err != nil {
			return err
		}
		// The time is taken under the lock, so times follow the sequence.
		e.At = time.UnixMilli(l.clock.Now().UnixMilli()).UTC()
		r := Record{Event: e, Seq: head.Seq + 1, PrevHash: head.Hash}
		if head.Seq == 0 {
			r.PrevHash = Genesis
		}
		r.Hash = r.ComputeHash()
		return l.store.AppendAuditRecord(ctx, r)
	})
}

// check reports what is missing or wrong in an event. The calling service
// builds events, not a person, so a bad event is a defect: an error of kind
// Other, which fails the access it was to record.
func check(e Event) error {
	var bad []string
	if e.EventID == "" {
		bad = append(bad, "no EventID")
	}
	if !e.Action.Valid() {
		bad = append(bad, fmt.Sprintf("unknown Action %q", e.Action))
	}
	if !e.Outcome.Valid() {
		bad = append(bad, fmt.Sprintf("unknown Outcome %q", e.Outcome))
	}
	if e.ActorID == "" {
		bad = append(bad, "no ActorID")
	}
	if len(bad) > 0 {
		return fmt.Errorf("bad event %q: %s", e.EventID, strings.Join(bad, ", "))
	}
	return nil
}

// MaxPage is the largest number of records ForSubject returns at once.
const MaxPage = 500

// ForSubject returns the records about one resident with from <= At < to
// (a zero from or to is no bound), newest first, skipping offset and
// returning at most limit (1..MaxPage), with the number of matching
// records in all. It is the query behind the resident's "who looked at my
// data" page; the caller decides who may see it, and logs that read.
func (l *Log) ForSubject(ctx context.Context, subjectID string, from, to time.Time, limit, offset int) (_ []Record, total int, err error) {
	defer errs.Wrap(&err, "audit.ForSubject")
	f := errs.Fields{}
	if subjectID == "" {
		f.Add("subject_id", "field.required")
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		f.Add("to", "field.invalid")
	}
	if limit < 1 || limit > MaxPage {
		f.Add("limit", "field.invalid")
	}
	if offset < 0 {
		f.Add("offset", "field.invalid")
	}
	if err := f.Err("audit.ForSubject"); err != nil {
		return nil, 0, err
	}
	return l.store.FindAuditRecordsBySubject(ctx, subjectID, from, to, limit, offset)
}
