package story

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/inwonercloud/inwonercloud/internal/core/audit"
	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/consent"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/vault"
)

func init() {
	consent.RegisterCategory(Category, "")
	for _, s := range Sections() {
		consent.RegisterCategory(SectionCategory(s), Category)
	}
}

// Policy is the consent service's decision point as the story needs it.
type Policy interface {
	Check(ctx context.Context, actor identity.Person, actingFor, subjectID string, req consent.Request) error
	CheckSome(ctx context.Context, actor identity.Person, actingFor, subjectID string, reqs []consent.Request, whole consent.Request) ([]bool, error)
}

// Sealer encrypts and decrypts with the resident's data key.
type Sealer interface {
	Seal(ctx context.Context, subjectID string, b vault.Binding, plaintext []byte) ([]byte, error)
	Open(ctx context.Context, subjectID string, b vault.Binding, ciphertext []byte) ([]byte, error)
}

// Version is one saved version of a story, stored sealed.
type Version struct {
	ResidentID string
	Number     int
	SavedAt    time.Time
	SavedByID  string
	Sealed     []byte
}

// StoredComment is a comment as stored: its body sealed.
type StoredComment struct {
	Comment
	Sealed []byte
}

// Store is the storage the story service needs.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	LatestStoryVersion(ctx context.Context, residentID string) (Version, error)
	FindStoryVersion(ctx context.Context, residentID string, number int) (Version, error)
	FindStoryVersions(ctx context.Context, residentID string) ([]Version, error)
	CreateStoryVersion(ctx context.Context, v Version) error
	LastStoryRead(ctx context.Context, readerID, residentID string) (int, error)
	RecordStoryRead(ctx context.Context, readerID, residentID string, number int, at time.Time) error
	CreateStoryComment(ctx context.Context, c StoredComment) error
	FindStoryComments(ctx context.Context, residentID string) ([]StoredComment, error)
	DeleteStory(ctx context.Context, residentID string) error
}

// Service is Eigen verhaal.
type Service struct {
	store  Store
	policy Policy
	vault  Sealer
	clock  clock.Clock
}

// NewService returns the story service.
func NewService(store Store, policy Policy, v Sealer, clk clock.Clock) *Service {
	return &Service{store: store, policy: policy, vault: v, clock: clk}
}

// Reader is who asks: the person, and the resident they act for when they
// use a mandate ("" otherwise).
type Reader struct {
	Person    identity.Person
	ActingFor string
}

func (r Reader) own(residentID string) bool { return r.ActingFor == "" && r.Person.ID == residentID }

func versionBinding(residentID string, n int) vault.Binding {
	return vault.Binding{Table: "story_versions", Column: "content", RowID: residentID + "/" + strconv.Itoa(n)}
}

func commentBinding(c Comment) vault.Binding {
	return vault.Binding{Table: "story_comments", Column: "body", RowID: c.ID}
}

// asOwner lets the resident through, and a delegate whose mandate covers
// the story (Check logs that access); anyone else gets NotFound, logged.
func (s *Service) asOwner(ctx context.Context, op string, r Reader, residentID string, action audit.Action) error {
	if r.own(residentID) {
		return nil
	}
	if err := s.policy.Check(ctx, r.Person, r.ActingFor, residentID, consent.Request{Category: Category, Action: action}); err != nil {
		return errs.E(op, err)
	}
	return nil
}

// Save stores a new version of the resident's story, when it differs from
// the last one, and returns the story as saved.
func (s *Service) Save(ctx context.Context, r Reader, residentID string, c Content) (Story, error) {
	const op = "story.Save"
	if err := c.Validate(); err != nil {
		return Story{}, errs.E(op, err)
	}
	var out Story
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.asOwner(ctx, op, r, residentID, audit.ActionUpdate); err != nil {
			return err
		}
		prev, err := s.latest(ctx, residentID)
		if err != nil && !errs.Is(err, errs.NotFound) {
			return err
		}
		now := s.clock.Now().UTC().Truncate(time.Millisecond)
		next := stamp(prev.Content, c, now)
		if prev.Version > 0 && len(Changed(prev.Content, next)) == 0 {
			out = prev
			return nil
		}
		n := prev.Version + 1
		plain, err := json.Marshal(next)
		if err != nil {
			return err
		}
		sealed, err := s.vault.Seal(ctx, residentID, versionBinding(residentID, n), plain)
		if err != nil {
			return err
		}
		v := Version{ResidentID: residentID, Number: n, SavedAt: now, SavedByID: r.Person.ID, Sealed: sealed}
		if err := s.store.CreateStoryVersion(ctx, v); err != nil {
			return err
		}
		out = Story{ResidentID: residentID, Version: n, SavedAt: now, SavedByID: r.Person.ID, Content: next, Visible: Sections()}
		return nil
	})
	if err != nil {
		return Story{}, errs.E(op, err)
	}
	return out, nil
}

// latest opens the newest version; NotFound when there is none yet.
func (s *Service) latest(ctx context.Context, residentID string) (Story, error) {
	v, err := s.store.LatestStoryVersion(ctx, residentID)
	if err != nil {
		return Story{}, err
	}
	return s.open(ctx, v)
}

func (s *Service) open(ctx context.Context, v Version) (Story, error) {
	plain, err := s.vault.Open(ctx, v.ResidentID, versionBinding(v.ResidentID, v.Number), v.Sealed)
	if err != nil {
		return Story{}, err
	}
	var c Content
	if err := json.Unmarshal(plain, &c); err != nil {
		return Story{}, err
	}
	return Story{ResidentID: v.ResidentID, Version: v.Number, SavedAt: v.SavedAt, SavedByID: v.SavedByID, Content: c, Visible: Sections()}, nil
}

// Reading is a story as one reader sees it, with what changed since that
// reader's previous visit.
type Reading struct {
	Story
	// LastRead is the version the reader saw last time (0: never), and
	// ChangedSince the visible sections that changed after it.
	LastRead     int
	ChangedSince []string
}

// Get returns the story as the reader may see it. The resident (or their
// delegate) sees everything, and an empty story before the first save; a
// professional sees the sections their grants cover, and each section's
// read is logged; without any, NotFound.
func (s *Service) Get(ctx context.Context, r Reader, residentID string) (Reading, error) {
	const op = "story.Get"
	if r.own(residentID) || r.ActingFor != "" {
		if err := s.asOwner(ctx, op, r, residentID, audit.ActionRead); err != nil {
			return Reading{}, err
		}
		st, err := s.latest(ctx, residentID)
		if errs.Is(err, errs.NotFound) {
			return Reading{Story: Story{ResidentID: residentID, Content: Content{Domains: map[Domain]DomainEntry{}}, Visible: Sections()}}, nil
		}
		if err != nil {
			return Reading{}, errs.E(op, err)
		}
		return Reading{Story: st, LastRead: st.Version}, nil
	}
	visible, err := s.visible(ctx, r, residentID, audit.ActionRead, "")
	if err != nil {
		return Reading{}, errs.E(op, err)
	}
	st, err := s.latest(ctx, residentID)
	if errs.Is(err, errs.NotFound) {
		// Shared, but nothing written yet.
		return Reading{Story: Story{ResidentID: residentID, Content: Content{Domains: map[Domain]DomainEntry{}}, Visible: visible}}, nil
	}
	if err != nil {
		return Reading{}, errs.E(op, err)
	}
	out := Reading{Story: st}
	out.Content = only(st.Content, visible)
	out.Visible = visible
	last, err := s.store.LastStoryRead(ctx, r.Person.ID, residentID)
	if err != nil {
		return Reading{}, errs.E(op, err)
	}
	out.LastRead = last
	if last > 0 && last < st.Version {
		if old, err := s.version(ctx, residentID, last); err == nil {
			for _, sec := range Changed(old.Content, st.Content) {
				if slices.Contains(visible, sec) {
					out.ChangedSince = append(out.ChangedSince, sec)
				}
			}
		} else if !errs.Is(err, errs.NotFound) {
			return Reading{}, errs.E(op, err)
		}
	} else if last == 0 {
		out.ChangedSince = visible
	}
	if err := s.store.RecordStoryRead(ctx, r.Person.ID, residentID, st.Version, s.clock.Now()); err != nil {
		return Reading{}, errs.E(op, err)
	}
	return out, nil
}

// visible decides section by section what a non-owner may see and logs
// each allowed section (one decision each, through CheckSome); with none it logs the refusal of
// the whole story and answers NotFound. suffix selects the comment
// categories (":comment") instead of the sections.
func (s *Service) visible(ctx context.Context, r Reader, residentID string, action audit.Action, suffix string) ([]string, error) {
	sections := Sections()
	reqs := make([]consent.Request, len(sections))
	for i, sec := range sections {
		reqs[i] = consent.Request{Category: SectionCategory(sec) + suffix, Action: action}
	}
	allowed, err := s.policy.CheckSome(ctx, r.Person, r.ActingFor, residentID, reqs, consent.Request{Category: Category + suffix, Action: action})
	if err != nil {
		return nil, err
	}
	var out []string
	for i, ok := range allowed {
		if ok {
			out = append(out, sections[i])
		}
	}
	return out, nil
}

func (s *Service) version(ctx context.Context, residentID string, n int) (Story, error) {
	v, err := s.store.FindStoryVersion(ctx, residentID, n)
	if err != nil {
		return Story{}, err
	}
	return s.open(ctx, v)
}

// VersionInfo describes a saved version without its content.
type VersionInfo struct {
	Number    int
	SavedAt   time.Time
	SavedByID string
	Changed   []string // sections changed against the version before
}

// Versions lists every version, newest first, with what each changed.
// Only the resident (or their delegate) may.
func (s *Service) Versions(ctx context.Context, r Reader, residentID string) ([]VersionInfo, error) {
	const op = "story.Versions"
	if err := s.asOwner(ctx, op, r, residentID, audit.ActionRead); err != nil {
		return nil, err
	}
	list, err := s.store.FindStoryVersions(ctx, residentID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	out := make([]VersionInfo, len(list))
	prev := Content{}
	// list is oldest first; compare each with the one before.
	for i, v := range list {
		st, err := s.open(ctx, v)
		if err != nil {
			return nil, errs.E(op, err)
		}
		out[len(list)-1-i] = VersionInfo{Number: v.Number, SavedAt: v.SavedAt, SavedByID: v.SavedByID, Changed: Changed(prev, st.Content)}
		prev = st.Content
	}
	return out, nil
}

// Version returns one saved version, for the resident (or their delegate).
func (s *Service) Version(ctx context.Context, r Reader, residentID string, n int) (Story, error) {
	const op = "story.Version"
	if err := s.asOwner(ctx, op, r, residentID, audit.ActionRead); err != nil {
		return Story{}, err
	}
	st, err := s.version(ctx, residentID, n)
	if err != nil {
		return Story{}, errs.E(op, err)
	}
	return st, nil
}

// AddComment leaves a comment on a section; it needs read-and-comment
// access to that section.
func (s *Service) AddComment(ctx context.Context, r Reader, residentID, section, body string) (Comment, error) {
	const op = "story.AddComment"
	body = strings.TrimSpace(body)
	f := errs.Fields{}
	switch {
	case !ValidSection(section):
		f.Add("section", "field.story.section_unknown")
	}
	switch {
	case body == "":
		f.Add("body", "field.story.comment_required")
	case !utf8.ValidString(body):
		f.Add("body", "field.invalid_text")
	case utf8.RuneCountInString(body) > MaxComment:
		f.Add("body", "field.story.too_long")
	}
	if err := f.Err(op); err != nil {
		return Comment{}, err
	}
	c := Comment{ID: id.New(), ResidentID: residentID, Section: section, AuthorID: r.Person.ID, AuthorName: r.Person.DisplayName,
		Body: body, CreatedAt: s.clock.Now().UTC().Truncate(time.Millisecond)}
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		req := consent.Request{Category: SectionCategory(section) + consent.CommentSuffix, Action: audit.ActionCreate, ObjectID: c.ID}
		if err := s.policy.Check(ctx, r.Person, r.ActingFor, residentID, req); err != nil {
			return err
		}
		sealed, err := s.vault.Seal(ctx, residentID, commentBinding(c), []byte(body))
		if err != nil {
			return err
		}
		return s.store.CreateStoryComment(ctx, StoredComment{Comment: c, Sealed: sealed})
	})
	if err != nil {
		return Comment{}, errs.E(op, err)
	}
	return c, nil
}

// Comments lists the comments the reader may see, oldest first: all of
// them for the resident, those on visible sections for a professional.
func (s *Service) Comments(ctx context.Context, r Reader, residentID string) ([]Comment, error) {
	const op = "story.Comments"
	var sections []string
	if r.own(residentID) || r.ActingFor != "" {
		if err := s.asOwner(ctx, op, r, residentID, audit.ActionRead); err != nil {
			return nil, err
		}
		sections = Sections()
	} else {
		var err error
		if sections, err = s.visible(ctx, r, residentID, audit.ActionRead, consent.CommentSuffix); err != nil {
			return nil, errs.E(op, err)
		}
	}
	stored, err := s.store.FindStoryComments(ctx, residentID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	var out []Comment
	for _, sc := range stored {
		if !slices.Contains(sections, sc.Section) {
			continue
		}
		plain, err := s.vault.Open(ctx, residentID, commentBinding(sc.Comment), sc.Sealed)
		if err != nil {
			return nil, errs.E(op, err)
		}
		c := sc.Comment
		c.Body = string(plain)
		out = append(out, c)
	}
	return out, nil
}

// Export is everything the story holds about the resident, for their own
// download: every version and every comment, opened.
type Export struct {
	Versions []Story
	Comments []Comment
}

// ExportFor returns the resident's whole story history; only for the
// resident themselves (or their delegate).
func (s *Service) ExportFor(ctx context.Context, r Reader, residentID string) (Export, error) {
	const op = "story.ExportFor"
	if err := s.asOwner(ctx, op, r, residentID, audit.ActionExport); err != nil {
		return Export{}, err
	}
	list, err := s.store.FindStoryVersions(ctx, residentID)
	if err != nil {
		return Export{}, errs.E(op, err)
	}
	var out Export
	for _, v := range list {
		st, err := s.open(ctx, v)
		if err != nil {
			return Export{}, errs.E(op, err)
		}
		out.Versions = append(out.Versions, st)
	}
	if out.Comments, err = s.Comments(ctx, r, residentID); err != nil {
		return Export{}, errs.E(op, err)
	}
	return out, nil
}

// Erase removes the resident's story rows; the caller destroys the data
// key in the same erasure, which makes copies elsewhere unreadable.
func (s *Service) Erase(ctx context.Context, residentID string) error {
	if err := s.store.DeleteStory(ctx, residentID); err != nil {
		return errs.E("story.Erase", err)
	}
	return nil
}
