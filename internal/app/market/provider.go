package market

import (
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/inwonercloud/inwonercloud/internal/core/identity"
)

// Provider is an organisation of kind provider as the marketplace shows
// it (HSDS organization): its name and KvK number come from the
// organisation; the AGB code and contact details are kept here.
type Provider struct {
	OrganisationID  string
	Name            string   // read-only: the organisation's name
	KvK             string   // read-only: the organisation's KvK number
	MunicipalityIDs []string // read-only: where the organisation works
	AGB             string   // AGB code (Vektis), 8 digits; only for care providers
	Email           string
	Phone           string
	Website         string
	UpdatedAt       time.Time
}

var (
	agbRE   = regexp.MustCompile(`^[0-9]{8}$`)
	phoneRE = regexp.MustCompile(`^\+?[0-9][0-9 \-]{7,18}[0-9]$`)
)

// Normalize trims the contact details and lower-cases the e-mail address.
func (p *Provider) Normalize() {
	p.AGB = strings.TrimSpace(p.AGB)
	p.Email = identity.NormalizeEmail(p.Email)
	p.Phone = strings.TrimSpace(p.Phone)
	p.Website = strings.TrimSpace(p.Website)
}

// Validate checks the provider's own fields: at least one way to make
// contact, each well-formed.
func (p Provider) Validate() error {
	f := fieldErrors{}
	if p.AGB != "" && !agbRE.MatchString(p.AGB) {
		f.Add("agb", "field.agb.invalid")
	}
	if p.Email != "" {
		if k := identity.CheckEmail(p.Email); k != "" {
			f.Add("email", k)
		}
	}
	if p.Phone != "" && !phoneRE.MatchString(p.Phone) {
		f.Add("phone", "field.phone.invalid")
	}
	if p.Website != "" {
		u, err := url.Parse(p.Website)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(p.Website) > 300 {
			f.Add("website", "field.website.invalid")
		}
	}
	if p.Email == "" && p.Phone == "" && p.Website == "" {
		f.Add("contact", "field.contact.required")
	}
	return f.Err("market.Provider")
}
