package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
)

// The access log page, "Wie heeft mijn gegevens bekeken" (SECURITY.md §8):
// the records of the resident's access log in plain language, newest
// first, filterable by period.
//
// Names are resolved at display time through the identity service: the
// records hold only opaque ids (see consent.Service.record), and a person
// who no longer exists shows as "verwijderd account".
//
// Who sees what: everyone sees only the log about themselves — this is the
// "my data" view, never a view of other people's logs. Staff reading audit
// logs need their second factor (SECURITY.md §7); a staff member here
// reads only their own log, and their login already required their second
// factor. A delegate acting for a resident may read the resident's log when
// their mandate covers "consent"; that read is itself checked and recorded
// in the resident's log by the consent service.

// accessLogPageSize is how many records one page shows.
const accessLogPageSize = 25

type accessRow struct {
	At         time.Time
	Who        string
	Role       string // message key
	Org        string
	OnBehalfOf string
	What       string // message key of the data
	Action     string // message key
	Why        string // translated
	Allowed    bool
}

type accessLogData struct {
	Rows       []accessRow
	Total      int
	Page       int
	Prev, Next string // links, "" when none
	ActingFor  bool
}

func (s *Server) handleAccessLog(w http.ResponseWriter, r *http.Request, rq *request) error {
	subject := residentOf(rq)
	if subject != rq.person.ID {
		// A delegate reads the resident's log: the mandate must cover it,
		// and the read is recorded.
		err := s.Consent.Check(r.Context(), *rq.person, subject, subject, consent.Request{Category: consent.CategoryConsent, Action: audit.ActionRead})
		if err != nil {
			return err
		}
	}
	p := s.newPage(rq, r, "accesslog", "accesslog.title")
	q := r.URL.Query()
	p.Form.Values["from"], p.Form.Values["to"] = q.Get("van"), q.Get("tot")
	var from, to time.Time
	if v := strings.TrimSpace(q.Get("van")); v != "" {
		t, ok := parseDate(v)
		if !ok {
			p.Form.Errors["from"] = "field.date.invalid"
		}
		from = t
	}
	if v := strings.TrimSpace(q.Get("tot")); v != "" {
		t, ok := parseDate(v)
		if !ok {
			p.Form.Errors["to"] = "field.date.invalid"
		}
		to = t.AddDate(0, 0, 1) // up to and including that day
	}
	if !from.IsZero() && !to.IsZero() && !to.After(from) {
		p.Form.Errors["to"] = "field.date.before_from"
	}
	page, _ := strconv.Atoi(q.Get("pagina"))
	if page < 1 {
		page = 1
	}
	d := accessLogData{Page: page, ActingFor: subject != rq.person.ID}
	if !p.Form.HasErrors() {
		recs, total, err := s.Audit.ForSubject(r.Context(), subject, from, to, accessLogPageSize, (page-1)*accessLogPageSize)
		if err != nil {
			return err
		}
		d.Total = total
		n := s.names(r, rq)
		for _, rec := range recs {
			d.Rows = append(d.Rows, s.accessRow(rq, n, rec))
		}
		link := func(pg int) string {
			v := url.Values{}
			if q.Get("van") != "" {
				v.Set("van", q.Get("van"))
			}
			if q.Get("tot") != "" {
				v.Set("tot", q.Get("tot"))
			}
			v.Set("pagina", strconv.Itoa(pg))
			return "/wie-keek-mee?" + v.Encode()
		}
		if page > 1 {
			d.Prev = link(page - 1)
		}
		if page*accessLogPageSize < total {
			d.Next = link(page + 1)
		}
	}
	p.Data = d
	return s.show(w, r, p)
}

// accessRow turns a record into words.
func (s *Server) accessRow(rq *request, n *names, rec audit.Record) accessRow {
	t := func(key string, data ...any) string {
		var m map[string]any
		if len(data) == 2 {
			m = map[string]any{data[0].(string): data[1]}
		}
		return s.Catalog.T(rq.lang, key, m)
	}
	row := accessRow{
		At: rec.At, Who: n.person(rec.ActorID), OnBehalfOf: n.person(rec.OnBehalfOfID),
		What: categoryKey(strings.TrimSuffix(rec.Category, consent.CommentSuffix)), Allowed: rec.Outcome == audit.Allowed,
		Action: "accesslog.action." + string(rec.Action), Org: rec.ActorOrgName,
	}
	if rec.ActorOrgName == "" && rec.ActorOrgID != "" {
		row.Org = n.organisation(rec.ActorOrgID)
	}
	if rec.ActorRole != "" {
		row.Role = "role." + rec.ActorRole
	}
	switch basis := rec.Basis; {
	case basis == string(consent.BasisConsent):
		row.Why = t("accesslog.why.consent", "Purpose", purposeText(s, rq, rec.PurposeOfUse))
	case basis == string(consent.BasisMandate):
		row.Why = t("accesslog.why.mandate")
	case basis == string(consent.BasisOwn):
		row.Why = t("accesslog.why.own")
	case strings.HasPrefix(basis, "legal_task:"):
		task := rec.PurposeOfUse
		if key := "accesslog.task." + task; s.Catalog.Has(rq.lang, key) {
			task = s.Catalog.T(rq.lang, key, nil)
		}
		row.Why = t("accesslog.why.legal_task", "Task", task)
	default:
		row.Why = t("accesslog.why.none")
	}
	return row
}

// purposeText is a purpose of use in words.
func purposeText(s *Server, rq *request, purpose string) string {
	if consent.Purpose(purpose).Valid() {
		return s.Catalog.T(rq.lang, consent.Purpose(purpose).LabelKey(), nil)
	}
	return purpose
}
