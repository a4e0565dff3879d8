package audit

import (
	"context"
	"fmt"

	"github.com/inwonercloud/inwonercloud/internal/core/errs"
)

// The kinds of Problem.
const (
	// ProblemChanged: a record's contents no longer match its stored hash.
	ProblemChanged = "changed"
	// ProblemMissing: one or more records are absent from the sequence
	// (Seq is the first missing one).
	ProblemMissing = "missing"
	// ProblemBrokenLink: a record's PrevHash is not the stored hash of the
	// record before it, or the chain head does not point at the last
	// record: records were removed, swapped, reordered, or changed and
	// hashed anew.
	ProblemBrokenLink = "broken_link"
)

// Problem is one thing wrong with the chain, at a sequence number. Detail
// names sequence numbers and hashes only, never the contents of a record.
type Problem struct {
	Seq    int64
	Kind   string
	Detail string
}

// Report is the outcome of Verify.
type Report struct {
	Checked  int // records read and checked
	Problems []Problem
}

// OK reports whether the chain is intact.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// Verify walks the chain in sequence order, a batch of records at a time,
// recomputes every hash and checks every link, up to the head as it was
// when Verify started (records appended meanwhile are left for the next
// run). It reports each problem with its sequence number; an error means
// the log could not be read, not that it is damaged.
//
// A record that was changed shows as ProblemChanged at its Seq; changed
// and hashed anew, as ProblemBrokenLink at the next Seq (or at the head).
// A removed record shows as ProblemMissing at its Seq; swapped or
// reordered records as a mix of the two at the places they were moved.
func (l *Log) Verify(ctx context.Context) (_ Report, err error) {
	defer errs.Wrap(&err, "audit.Verify")
	head, err := l.store.FindAuditHead(ctx)
	if err != nil {
		return Report{}, err
	}
	w := walker{next: 1, prevHash: Genesis}
	for {
		batch, err := l.store.FindAuditChain(ctx, w.next-1, head.Seq, l.batch)
		if err != nil {
			return w.report, err
		}
		for _, r := range batch {
			w.check(r)
		}
		if len(batch) < l.batch {
			break
		}
	}
	w.end(head)
	return w.report, nil
}

// walker carries the state of Verify from one record to the next.
type walker struct {
	next     int64  // the Seq the next record should have
	prevHash string // the stored hash of the record before it
	report   Report
}

func (w *walker) problem(seq int64, kind, format string, args ...any) {
	w.report.Problems = append(w.report.Problems, Problem{Seq: seq, Kind: kind, Detail: fmt.Sprintf(format, args...)})
}

func (w *walker) check(r Record) {
	w.report.Checked++
	if got := r.ComputeHash(); got != r.Hash {
		w.problem(r.Seq, ProblemChanged, "record %d does not match its hash", r.Seq)
	}
	switch {
	case r.Seq > w.next:
		// The link cannot be checked across the gap; the gap is the problem.
		w.missing(w.next, r.Seq-1)
	case r.PrevHash != w.prevHash:
		if r.Seq == 1 {
			w.problem(r.Seq, ProblemBrokenLink, "record 1 does not start from the genesis hash")
		} else {
			w.problem(r.Seq, ProblemBrokenLink, "record %d does not point at the hash of record %d", r.Seq, r.Seq-1)
		}
	}
	w.next, w.prevHash = r.Seq+1, r.Hash
}

func (w *walker) missing(from, to int64) {
	if from == to {
		w.problem(from, ProblemMissing, "record %d is missing", from)
		return
	}
	w.problem(from, ProblemMissing, "records %d to %d are missing", from, to)
}

// end compares the last record with the chain head, which catches records
// removed from, or changed and hashed anew at, the end of the chain.
func (w *walker) end(head Head) {
	last := w.next - 1
	switch {
	case last < head.Seq:
		w.missing(last+1, head.Seq)
	case head.Seq > 0 && w.prevHash != head.Hash:
		w.problem(head.Seq, ProblemBrokenLink, "the chain head does not point at the hash of record %d", head.Seq)
	}
}
