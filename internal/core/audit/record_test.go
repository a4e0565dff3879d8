package audit_test

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
)

// fullEvent returns an event with every field set to a distinct value.
func fullEvent() audit.Event {
	return audit.Event{
		EventID: "dossier.note.read", Action: audit.ActionRead, Outcome: audit.Allowed,
		ActorID: "p-actor", ActorName: "Jo de Wit", ActorRole: "professional",
		ActorOrgID: "o-wijkteam", ActorOrgName: "Wijkteam Woerden", NetworkAddress: "192.0.2.7",
		OnBehalfOfID: "p-responsible", OnBehalfOfName: "Mila Jansen", PurposeOfUse: "support_plan",
		MunicipalityID: "m-woerden", SourceID: "node-1",
		TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", SpanID: "00f067aa0ba902b7",
		SubjectID: "p-subject", Category: "dossier:notes", ObjectID: "note-9", Sensitivity: "special",
		Basis: "consent", ConsentID: "c-17", ConsentVersion: 3, Emergency: true,
		At: time.Date(2026, 3, 2, 9, 0, 0, 123e6, time.UTC),
	}
}

func fullRecord() audit.Record {
	return audit.Record{Event: fullEvent(), Seq: 42, PrevHash: audit.Genesis}
}

// TestRecord_ComputeHash_Golden pins the encoding: hashes already in a log
// must verify for ever, so this value never changes. A new encoding is a
// new format with its own name, not an edit of this one.
func TestRecord_ComputeHash_Golden(t *testing.T) {
	t.Parallel()
	const want = "0f5634cc25c009aa9d04069b0ce520b90a51e929beedf1766bea9197e910f8a2"
	if got := fullRecord().ComputeHash(); got != want {
		t.Errorf("ComputeHash() = %s, want %s", got, want)
	}
}

// TestRecord_ComputeHash_Encoding rebuilds the documented encoding by hand.
func TestRecord_ComputeHash_Encoding(t *testing.T) {
	t.Parallel()
	r := fullRecord()
	e := r.Event
	h := sha256.New()
	for _, item := range []string{
		"inwonercloud.audit.v1", "42", audit.Genesis, "1772442000123",
		e.EventID, "read", "allowed", e.ActorID, e.ActorName, e.ActorRole, e.ActorOrgID, e.ActorOrgName,
		e.NetworkAddress, e.OnBehalfOfID, e.OnBehalfOfName, e.PurposeOfUse, e.MunicipalityID, e.SourceID,
		e.TraceID, e.SpanID, e.SubjectID, e.Category, e.ObjectID, e.Sensitivity, e.Basis, e.ConsentID,
		"3", "1",
	} {
		h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(item))))
		h.Write([]byte(item))
	}
	if got, want := r.ComputeHash(), hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("ComputeHash() = %s, the documented encoding gives %s", got, want)
	}
}

// TestRecord_ComputeHash_EveryField changes each field in turn: every one
// must change the hash, so no part of a record can be altered unseen.
func TestRecord_ComputeHash_EveryField(t *testing.T) {
	t.Parallel()
	base := fullRecord()
	baseHash := base.ComputeHash()
	et := reflect.TypeOf(audit.Event{})
	// A new Event field must be added to the hash (in a new format) and here.
	if et.NumField() != 25 {
		t.Fatalf("Event has %d fields; the v1 hash covers 25: extend the encoding for the new ones", et.NumField())
	}
	for i := range et.NumField() {
		f := et.Field(i)
		t.Run(f.Name, func(t *testing.T) {
			r := fullRecord()
			v := reflect.ValueOf(&r.Event).Elem().Field(i)
			switch v.Kind() {
			case reflect.String:
				v.SetString(v.String() + "x")
			case reflect.Int:
				v.SetInt(v.Int() + 1)
			case reflect.Bool:
				v.SetBool(!v.Bool())
			case reflect.Struct: // time.Time
				v.Set(reflect.ValueOf(r.At.Add(time.Millisecond)))
			default:
				t.Fatalf("field %s of kind %s: teach this test to change it", f.Name, v.Kind())
			}
			if r.ComputeHash() == baseHash {
				t.Errorf("changing %s leaves the hash as it was", f.Name)
			}
		})
	}
	for name, change := range map[string]func(*audit.Record){
		"Seq":      func(r *audit.Record) { r.Seq++ },
		"PrevHash": func(r *audit.Record) { r.PrevHash = baseHash },
	} {
		t.Run(name, func(t *testing.T) {
			r := fullRecord()
			change(&r)
			if r.ComputeHash() == baseHash {
				t.Errorf("changing %s leaves the hash as it was", name)
			}
		})
	}
	t.Run("NotHash", func(t *testing.T) {
		r := fullRecord()
		r.Hash = "anything"
		if r.ComputeHash() != baseHash {
			t.Errorf("the stored hash is part of its own input")
		}
	})
}

// TestRecord_ComputeHash_Unambiguous moves text from one field to the next;
// the length prefixes keep the encodings apart.
func TestRecord_ComputeHash_Unambiguous(t *testing.T) {
	t.Parallel()
	a, b := fullRecord(), fullRecord()
	a.ActorID, a.ActorName = "ab", "c"
	b.ActorID, b.ActorName = "a", "bc"
	if a.ComputeHash() == b.ComputeHash() {
		t.Errorf("(%q, %q) and (%q, %q) hash alike", a.ActorID, a.ActorName, b.ActorID, b.ActorName)
	}
	c, d := fullRecord(), fullRecord()
	c.ObjectID, c.Sensitivity = "", "x"
	d.ObjectID, d.Sensitivity = "x", ""
	if c.ComputeHash() == d.ComputeHash() {
		t.Errorf("an empty field and its neighbour can trade places unseen")
	}
}

func TestGenesis(t *testing.T) {
	t.Parallel()
	if len(audit.Genesis) != 2*sha256.Size || strings.Trim(audit.Genesis, "0") != "" {
		t.Errorf("Genesis = %q, want %d zeros", audit.Genesis, 2*sha256.Size)
	}
}
