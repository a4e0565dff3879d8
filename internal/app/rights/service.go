package rights

import (
	"context"
	"log/slog"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/app/story"
	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Accounts is what the service needs of the identity service.
type Accounts interface {
	Person(ctx context.Context, id string) (identity.Person, error)
	Sessions(ctx context.Context, personID string) ([]identity.Session, error)
	Tokens(ctx context.Context, personID string) ([]identity.APIToken, error)
	ConfirmPassword(ctx context.Context, personID, password, address string) error
	DeletePerson(ctx context.Context, personID string) error
}

// Consents is what the service needs of the consent service.
type Consents interface {
	GrantsBy(ctx context.Context, actor identity.Person, residentID string) ([]consent.Receipt, error)
	GrantsTo(ctx context.Context, actor identity.Person) ([]consent.Grant, error)
	MandatesOf(ctx context.Context, actor identity.Person, residentID string) ([]consent.Mandate, error)
	MandatesFor(ctx context.Context, actor identity.Person) ([]consent.Mandate, error)
}

// Stories is what the service needs of the story service.
type Stories interface {
	ExportFor(ctx context.Context, r story.Reader, residentID string) (story.Export, error)
	Erase(ctx context.Context, residentID string) error
}

// AccessLog is the access log: read for the export, appended to on erasure.
type AccessLog interface {
	audit.Recorder
	ForSubject(ctx context.Context, subjectID string, from, to time.Time, limit, offset int) ([]audit.Record, int, error)
}

// Shredder destroys a resident's data key (vault.Vault).
type Shredder interface {
	Destroy(ctx context.Context, subjectID string) error
}

// Tx runs fn in one transaction of the main database.
type Tx interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Deps are the services the rights service works through.
type Deps struct {
	Tx       Tx
	Accounts Accounts
	Consents Consents
	Stories  Stories
	Requests Requests // nil: no marketplace requests (a deployment without them)
	Reviews  Reviews  // nil: no reviews (a deployment without Waarderen)
	Budgets  Budgets  // nil: no Eigen budget (a deployment without it)
	Log      AccessLog
	Vault    Shredder
	Clock    clock.Clock
	Events   *slog.Logger // security events, without personal data; nil discards
}

// Service exports and erases a resident's data.
type Service struct{ d Deps }

// NewService returns the rights service.
func NewService(d Deps) *Service {
	if d.Events == nil {
		d.Events = slog.New(slog.DiscardHandler)
	}
	return &Service{d: d}
}

// own lets only the resident themselves through; anyone else is told the
// resident does not exist.
func own(op string, actor identity.Person, residentID string) error {
	if actor.ID == "" {
		return errs.E(op, errs.Unauthorized, errs.Key("error.unauthorized"))
	}
	if actor.ID != residentID {
		return errs.E(op, errs.NotFound, errs.Key("error.not_found"))
	}
	return nil
}

// Export returns everything the platform holds about the resident. Only
// the resident may (see doc.go).
func (s *Service) Export(ctx context.Context, actor identity.Person, residentID string) (Bundle, error) {
	const op = "rights.Export"
	if err := own(op, actor, residentID); err != nil {
		return Bundle{}, err
	}
	p, err := s.d.Accounts.Person(ctx, residentID)
	if err != nil {
		return Bundle{}, errs.E(op, err)
	}
	b := Bundle{SchemaVersion: SchemaVersion, ExportedAt: s.d.Clock.Now().UTC().Truncate(time.Second), Person: AccountOf(p),
		Sessions: []SessionData{}, Tokens: []TokenData{}, Story: StoryHistory{Versions: []StoryVersion{}, Comments: []CommentData{}},
		GrantsGiven: []GrantHistory{}, GrantsHeld: []GrantHistory{}, MandatesGiven: []MandateData{}, MandatesHeld: []MandateData{}, AccessLog: []AccessEntry{},
		Requests: []RequestData{}, Reviews: []ReviewData{}, Budgets: []BudgetData{}, Agreements: []AgreementData{}}
	if err := s.account(ctx, &b); err != nil {
		return Bundle{}, errs.E(op, err)
	}
	st, err := s.d.Stories.ExportFor(ctx, story.Reader{Person: p}, residentID)
	if err != nil {
		return Bundle{}, errs.E(op, err)
	}
	for _, v := range st.Versions {
		b.Story.Versions = append(b.Story.Versions, VersionOf(v))
	}
	for _, c := range st.Comments {
		b.Story.Comments = append(b.Story.Comments, CommentData{ID: c.ID, Section: c.Section, AuthorID: c.AuthorID, AuthorName: c.AuthorName, Body: c.Body, CreatedAt: c.CreatedAt.UTC()})
	}
	if err := s.consents(ctx, p, &b); err != nil {
		return Bundle{}, errs.E(op, err)
	}
	if err := s.market(ctx, p, &b); err != nil {
		return Bundle{}, errs.E(op, err)
	}
	if err := s.budgets(ctx, p, &b); err != nil {
		return Bundle{}, errs.E(op, err)
	}
	if b.AccessLog, err = s.accessLog(ctx, residentID); err != nil {
		return Bundle{}, errs.E(op, err)
	}
	// No id, name or address: the operational log holds no personal data.
	s.d.Events.InfoContext(ctx, "security event", "event", "account.export")
	return b, nil
}

func (s *Service) account(ctx context.Context, b *Bundle) error {
	sessions, err := s.d.Accounts.Sessions(ctx, b.Person.ID)
	if err != nil {
		return err
	}
	for _, x := range sessions {
		b.Sessions = append(b.Sessions, SessionData{ID: x.ID, CreatedAt: x.CreatedAt.UTC(), LastSeenAt: x.LastSeenAt.UTC(), ExpiresAt: x.ExpiresAt.UTC(), UserAgent: x.UserAgent})
	}
	tokens, err := s.d.Accounts.Tokens(ctx, b.Person.ID)
	if err != nil {
		return err
	}
	for _, t := range tokens {
		b.Tokens = append(b.Tokens, TokenData{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt.UTC(), ExpiresAt: t.ExpiresAt.UTC(), LastUsedAt: utcp(t.LastUsedAt)})
	}
	return nil
}

func (s *Service) consents(ctx context.Context, p identity.Person, b *Bundle) error {
	given, err := s.d.Consents.GrantsBy(ctx, p, p.ID)
	if err != nil {
		return err
	}
	for _, r := range given {
		gr := GrantHistory{GrantData: GrantOf(r.Grant), Versions: []GrantData{}}
		for _, v := range r.Versions {
			gr.Versions = append(gr.Versions, GrantOf(v))
		}
		b.GrantsGiven = append(b.GrantsGiven, gr)
	}
	held, err := s.d.Consents.GrantsTo(ctx, p)
	if err != nil {
		return err
	}
	for _, g := range held {
		b.GrantsHeld = append(b.GrantsHeld, GrantHistory{GrantData: GrantOf(g), Versions: []GrantData{}})
	}
	mg, err := s.d.Consents.MandatesOf(ctx, p, p.ID)
	if err != nil {
		return err
	}
	for _, m := range mg {
		b.MandatesGiven = append(b.MandatesGiven, MandateOf(m))
	}
	mh, err := s.d.Consents.MandatesFor(ctx, p)
	if err != nil {
		return err
	}
	for _, m := range mh {
		b.MandatesHeld = append(b.MandatesHeld, MandateOf(m))
	}
	return nil
}

// accessLog reads the whole access log about the resident, page by page.
func (s *Service) accessLog(ctx context.Context, residentID string) ([]AccessEntry, error) {
	out := []AccessEntry{}
	for offset := 0; ; {
		page, total, err := s.d.Log.ForSubject(ctx, residentID, time.Time{}, time.Time{}, audit.MaxPage, offset)
		if err != nil {
			return nil, err
		}
		for _, r := range page {
			out = append(out, AccessOf(r))
		}
		offset += len(page)
		if len(page) == 0 || offset >= total {
			return out, nil
		}
	}
}

// Erase deletes the resident's account and data after checking their
// password; a wrong password is a field error on "password" and changes
// nothing. See doc.go for what goes and what is kept.
func (s *Service) Erase(ctx context.Context, actor identity.Person, password, address string) error {
	const op = "rights.Erase"
	if actor.ID == "" {
		return errs.E(op, errs.Unauthorized, errs.Key("error.unauthorized"))
	}
	if actor.IsStaff() {
		// A staff account is work data (offerings, decisions, moderation);
		// the municipality's admin removes its roles instead.
		return errs.E(op, errs.Forbidden, errs.Key("rights.erase.staff"))
	}
	if err := s.d.Accounts.ConfirmPassword(ctx, actor.ID, password, address); err != nil {
		return errs.E(op, err)
	}
	// Money matters under way first settle; nothing is changed yet.
	if err := s.budgetsOpen(ctx, op, actor); err != nil {
		return err
	}
	// The key goes first: it lives in its own store, outside the
	// transaction below. Should that transaction fail, the data is
	// already unreadable and the resident can simply try again.
	if err := s.d.Vault.Destroy(ctx, actor.ID); err != nil {
		return errs.E(op, err)
	}
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.d.Stories.Erase(ctx, actor.ID); err != nil {
			return err
		}
		// The reviews first, then the requests they were written about.
		if s.d.Reviews != nil {
			if err := s.d.Reviews.Erase(ctx, actor.ID); err != nil {
				return err
			}
		}
		if s.d.Requests != nil {
			if err := s.d.Requests.Erase(ctx, actor.ID); err != nil {
				return err
			}
		}
		if err := s.d.Accounts.DeletePerson(ctx, actor.ID); err != nil {
			return err
		}
		return s.d.Log.Record(ctx, audit.Event{
			EventID: "account.erase", Action: audit.ActionDelete, Outcome: audit.Allowed,
			ActorID: actor.ID, ActorRole: string(identity.RoleCitizen), MunicipalityID: actor.HomeMunicipalityID,
			SubjectID: actor.ID, Category: "account", Basis: string(consent.BasisOwn),
		})
	})
	if err != nil {
		return errs.E(op, err)
	}
	s.d.Events.InfoContext(ctx, "security event", "event", "account.erase")
	return nil
}
