package market

import (
	"context"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
)

// Exchange imports and exports a municipality's offerings as Open
// Referral HSDS 3.0 shaped JSON (hsds_json.go) and as CSV with one row per
// offering (hsds_csv.go), for municipalities that already keep a social
// map elsewhere.
//
// Rules of the import (hsds_import.go):
//   - Only a municipality admin (tenant_admin) of the municipality, or the
//     operator's command line (nil actor), imports. An import is the
//     municipality's own decision: imported offerings are published at
//     once, with the admin as the one who last checked them (now). There
//     is no approval step, as the admin is the approver.
//   - Every record is checked with the rules of the provider form
//     (Content.Validate and checkFit); a category is found by its slug or
//     name in the municipality's tree and is never created: an unknown
//     category refuses the record. A refused record is reported with its
//     line (CSV: the line in the file; JSON: the record's number and the
//     line where it starts), the field and a reason; the others are
//     imported.
//   - A record is all or nothing: its provider, offering, locations, areas
//     and categories are written in one transaction.
//   - The provider is found by its KvK number. A number not yet known
//     makes a new provider organisation working in this municipality,
//     through the tenant service, which allows that to the municipality's
//     admins; its AGB code and contact details come from the file. A
//     known provider keeps its name, and its own contact details once it
//     has saved any. A provider that does not work in this municipality,
//     or a KvK number shared by several organisations, refuses the record:
//     only a platform admin links an organisation to another municipality.
//   - The record's id (HSDS service id) is kept per municipality, so that
//     importing the file again updates the offerings instead of adding
//     them twice; an id that is one of our own offering ids (from our
//     export) updates that offering when it serves this municipality.
//   - An import changes only this municipality's part of an offering: the
//     offering serves this municipality with the category from the file;
//     the other municipalities it serves, with their categories, stay as
//     they were. Service areas in the file must name this municipality
//     (or be left out); others named there are not added.
//   - A change the provider proposed and that still awaits approval stays
//     in the approval queue.
//   - Limits: a file of at most MaxImportBytes with at most
//     MaxImportRecords records. A file that is no JSON or CSV at all is one
//     error for the whole file, and nothing is imported.
type Exchange struct {
	market  *Service
	store   ExchangeStore
	tenants Tenants
	clock   clock.Clock
}

// ExchangeStore is the storage an Exchange needs beyond the Store.
type ExchangeStore interface {
	// FindProvidersByKvK returns the provider organisations with a KvK number.
	FindProvidersByKvK(ctx context.Context, kvk string) ([]Provider, error)
	// FindPublishedOfferings lists the published offerings serving a municipality.
	FindPublishedOfferings(ctx context.Context, municipalityID string) ([]Offering, error)
	// FindExternalIDs returns a municipality's external ids by offering id.
	FindExternalIDs(ctx context.Context, municipalityID string) (map[string]string, error)
	// FindOfferingByExternalID returns the offering id of an external id; NotFound when none.
	FindOfferingByExternalID(ctx context.Context, municipalityID, externalID string) (string, error)
	// SaveExternalID links an external id to an offering; Conflict when it names another.
	SaveExternalID(ctx context.Context, municipalityID, externalID, offeringID string, at time.Time) error
}

// Tenants is what an Exchange needs of the tenant service: the
// municipalities' names, and new provider organisations.
type Tenants interface {
	Municipalities(ctx context.Context) ([]tenant.Municipality, error)
	CreateOrganisation(ctx context.Context, actor *identity.Person, o tenant.Organisation) (tenant.Organisation, error)
}

// NewExchange returns the import and export of svc's offerings.
func NewExchange(svc *Service, store ExchangeStore, tenants Tenants, clk clock.Clock) *Exchange {
	return &Exchange{market: svc, store: store, tenants: tenants, clock: clk}
}

// Format is a file format of the exchange.
type Format string

// The formats.
const (
	FormatJSON Format = "json"
	FormatCSV  Format = "csv"
)

// Limits of an import.
const (
	MaxImportBytes   = 5 << 20 // 5 MiB
	MaxImportRecords = 2000
	MaxExternalIDLen = 100
)

// ImportReport is what an import did.
type ImportReport struct {
	Format   Format
	Created  int
	Updated  int
	Refused  int
	Problems []Problem // why records were refused, in file order
}

// Problem is one reason a record was refused.
type Problem struct {
	Line   int    // the line in the file where the record starts (from 1)
	Record int    // JSON: the record's number in the list of services (from 1); CSV: 0
	Field  string // the column (CSV) or JSON path within the record; "" for the whole record
	Key    string // message key of the reason (hsds.*)
	Args   map[string]any
}
