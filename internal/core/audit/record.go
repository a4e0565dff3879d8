package audit

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Record is an Event as the log keeps it: with its place in the sequence
// and the hash chain.
type Record struct {
	Event
	Seq      int64  // 1, 2, 3, … with no gaps
	PrevHash string // Hash of record Seq-1; Genesis for record 1
	Hash     string // ComputeHash of this record, lowercase hex
}

// Head is the end of the chain: the last record's Seq and Hash (0 and ""
// before the first record).
type Head struct {
	Seq  int64
	Hash string
}

// Genesis is the PrevHash of the first record: 64 zeros, the size of a
// SHA-256 hash in hex.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// hashFormat names the encoding that ComputeHash hashes. It is the first
// thing hashed, so a future encoding can never produce the same hash as
// this one for different contents. This encoding never changes once
// records exist: a new one gets a new name, and a column then tells which
// format each record was written in, so old records keep verifying.
const hashFormat = "inwonercloud.audit.v1"

// ComputeHash returns the SHA-256, as lowercase hex, of the canonical
// encoding of the record: every field of the Event, Seq and PrevHash.
// Hash itself is not part of it.
//
// Encoding "inwonercloud.audit.v1" is a sequence of 28 items, each written
// as its length in bytes (8 bytes, unsigned big-endian) followed by its
// bytes. Strings are their bytes as stored (valid UTF-8, see Log.Record);
// numbers are base-10 ASCII with a leading "-" when negative; a flag is "1"
// or "0"; a time is its Unix milliseconds as a number. The items, in this
// fixed order:
//
//	 1 "inwonercloud.audit.v1"   11 ActorOrgID        21 SubjectID
//	 2 Seq                       12 ActorOrgName      22 Category
//	 3 PrevHash                  13 NetworkAddress    23 ObjectID
//	 4 At                        14 OnBehalfOfID      24 Sensitivity
//	 5 EventID                   15 OnBehalfOfName    25 Basis
//	 6 Action                    16 PurposeOfUse      26 ConsentID
//	 7 Outcome                   17 MunicipalityID    27 ConsentVersion
//	 8 ActorID                   18 SourceID          28 Emergency
//	 9 ActorName                 19 TraceID
//	10 ActorRole                 20 SpanID
//
// Because every item carries its length, no two different records encode
// alike; nothing depends on map order, the platform or the database.
func (r Record) ComputeHash() string {
	h := sha256.New()
	for _, item := range r.items() {
		writeItem(h, item)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// items lists the encoded items in their fixed order.
func (r Record) items() []string {
	e := r.Event
	return []string{
		hashFormat,
		strconv.FormatInt(r.Seq, 10),
		r.PrevHash,
		strconv.FormatInt(e.At.UnixMilli(), 10),
		e.EventID,
		string(e.Action),
		string(e.Outcome),
		e.ActorID,
		e.ActorName,
		e.ActorRole,
		e.ActorOrgID,
		e.ActorOrgName,
		e.NetworkAddress,
		e.OnBehalfOfID,
		e.OnBehalfOfName,
		e.PurposeOfUse,
		e.MunicipalityID,
		e.SourceID,
		e.TraceID,
		e.SpanID,
		e.SubjectID,
		e.Category,
		e.ObjectID,
		e.Sensitivity,
		e.Basis,
		e.ConsentID,
		strconv.Itoa(e.ConsentVersion),
		flag(e.Emergency),
	}
}

func writeItem(h hash.Hash, s string) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(s)))
	h.Write(n[:])
	h.Write([]byte(s))
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// clean makes text storable alike in both databases: invalid UTF-8 and NUL
// bytes (which PostgreSQL refuses in text) become U+FFFD. An access is
// logged even when a client sends bytes like these, and the hash covers
// exactly what is stored.
func clean(s string) string {
	if utf8.ValidString(s) && !strings.ContainsRune(s, 0) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// cleanEvent applies clean to every free text field of e; the action and
// outcome are checked against their lists instead.
func cleanEvent(e Event) Event {
	for _, p := range []*string{
		&e.EventID, &e.ActorID, &e.ActorName, &e.ActorRole, &e.ActorOrgID, &e.ActorOrgName,
		&e.NetworkAddress, &e.OnBehalfOfID, &e.OnBehalfOfName, &e.PurposeOfUse, &e.MunicipalityID,
		&e.SourceID, &e.TraceID, &e.SpanID, &e.SubjectID, &e.Category, &e.ObjectID, &e.Sensitivity,
		&e.Basis, &e.ConsentID,
	} {
		*p = clean(*p)
	}
	return e
}
