package tenant_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/inwonercloud/inwonercloud/internal/core/clock"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/core/tenant"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// problem is what a person notices of an error.
type problem struct {
	Kind   errs.Kind
	Key    string
	Fields map[string]string
}

func wantProblem(t *testing.T, err error, want problem) {
	t.Helper()
	if err == nil {
		t.Fatalf("error = nil, want %+v", want)
	}
	got := problem{Kind: errs.KindOf(err), Key: errs.KeyOf(err), Fields: errs.FieldsOf(err)}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("error %v (-want +got):\n%s", err, diff)
	}
}

func invalid(fields map[string]string) problem {
	return problem{Kind: errs.Invalid, Key: "error.invalid", Fields: fields}
}

var forbidden = problem{Kind: errs.Forbidden, Key: "error.forbidden"}

// actors returns persons in the roles the tenant service tells apart; no
// password or store is needed for that.
func actors(woerdenID string) (platformAdmin, woerdenAdmin, professional identity.Person) {
	platformAdmin = identity.Person{ID: "p1", Roles: []identity.RoleAssignment{{Role: identity.RolePlatformAdmin}}}
	woerdenAdmin = identity.Person{ID: "p2", Roles: []identity.RoleAssignment{{Role: identity.RoleTenantAdmin, MunicipalityID: woerdenID}}}
	professional = identity.Person{ID: "p3", Roles: []identity.RoleAssignment{{Role: identity.RoleProfessional, MunicipalityID: woerdenID}}}
	return
}

func TestService_CreateMunicipality(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		svc := tenant.NewService(db, clock.NewFake(sqltest.Epoch))
		platform, admin, _ := actors("w")

		m, err := svc.CreateMunicipality(ctx, &platform, tenant.Municipality{
			Slug: " Woerden ", Name: " Woerden ", Host: "Woerden.Inwonercloud.NL", Theme: "woerden"})
		if err != nil {
			t.Fatalf("CreateMunicipality: %v", err)
		}
		want := tenant.Municipality{ID: m.ID, Slug: "woerden", Name: "Woerden", Host: "woerden.inwonercloud.nl", Theme: "woerden", CreatedAt: sqltest.Epoch}
		if diff := cmp.Diff(want, m); diff != "" {
			t.Errorf("CreateMunicipality (-want +got):\n%s", diff)
		}
		stored, err := svc.MunicipalityBySlug(ctx, "woerden")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, stored); diff != "" {
			t.Errorf("stored municipality (-want +got):\n%s", diff)
		}
		// The command line (no actor) may create one too; the theme defaults.
		ow, err := svc.CreateMunicipality(ctx, nil, tenant.Municipality{Slug: "oudewater", Name: "Oudewater"})
		if err != nil {
			t.Fatalf("CreateMunicipality(command line): %v", err)
		}
		if ow.Theme != "default" || ow.Host != "" {
			t.Errorf("theme %q host %q, want default and none", ow.Theme, ow.Host)
		}

		good := tenant.Municipality{Slug: "montfoort", Name: "Montfoort"}
		tests := []struct {
			name   string
			actor  *identity.Person
			change func(m *tenant.Municipality)
			want   problem
		}{
			{"ErrTenantAdmin", &admin, func(*tenant.Municipality) {}, forbidden},
			{"ErrSlugTooShort", nil, func(m *tenant.Municipality) { m.Slug = "m" }, invalid(map[string]string{"slug": "field.slug.invalid"})},
			{"ErrSlugTooLong", nil, func(m *tenant.Municipality) { m.Slug = "m" + strings.Repeat("o", 40) }, invalid(map[string]string{"slug": "field.slug.invalid"})},
			{"ErrSlugStartsWithDigit", nil, func(m *tenant.Municipality) { m.Slug = "1montfoort" }, invalid(map[string]string{"slug": "field.slug.invalid"})},
			{"ErrSlugSpace", nil, func(m *tenant.Municipality) { m.Slug = "mont foort" }, invalid(map[string]string{"slug": "field.slug.invalid"})},
			{"ErrSlugAccent", nil, func(m *tenant.Municipality) { m.Slug = "montfoórt" }, invalid(map[string]string{"slug": "field.slug.invalid"})},
			{"ErrSlugEmpty", nil, func(m *tenant.Municipality) { m.Slug = "" }, invalid(map[string]string{"slug": "field.slug.invalid"})},
			{"ErrNameEmpty", nil, func(m *tenant.Municipality) { m.Name = " " }, invalid(map[string]string{"name": "field.name.required"})},
			{"ErrHost", nil, func(m *tenant.Municipality) { m.Host = "mont foort.nl" }, invalid(map[string]string{"host": "field.host.invalid"})},
			{"ErrHostScheme", nil, func(m *tenant.Municipality) { m.Host = "https://montfoort.nl" }, invalid(map[string]string{"host": "field.host.invalid"})},
			{"ErrTheme", nil, func(m *tenant.Municipality) { m.Theme = "roze" }, invalid(map[string]string{"theme": "field.theme.invalid"})},
			{"ErrSlugTaken", &platform, func(m *tenant.Municipality) { m.Slug = "Woerden" }, problem{Kind: errs.Conflict, Key: "error.conflict", Fields: map[string]string{"slug": "field.slug.taken"}}},
			{"ErrHostTaken", &platform, func(m *tenant.Municipality) { m.Host = "woerden.inwonercloud.nl" }, problem{Kind: errs.Conflict, Key: "error.conflict", Fields: map[string]string{"host": "field.host.taken"}}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				m := good
				tc.change(&m)
				_, err := svc.CreateMunicipality(ctx, tc.actor, m)
				wantProblem(t, err, tc.want)
			})
		}
		list, err := svc.Municipalities(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Slug != "oudewater" || list[1].Slug != "woerden" {
			t.Errorf("Municipalities = %+v, want Oudewater and Woerden only", list)
		}
	})
}

func TestService_CreateOrganisation(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		svc := tenant.NewService(db, clock.NewFake(sqltest.Epoch))
		woerden := sqltest.Municipality(t, db, "woerden")
		oudewater := sqltest.Municipality(t, db, "oudewater")
		platform, admin, professional := actors(woerden.ID)

		good := tenant.Organisation{Name: " Sociaal team Woerden ", Kind: tenant.OrgSocialTeam, KvK: "12345678", MunicipalityIDs: []string{woerden.ID}}
		tests := []struct {
			name   string
			actor  *identity.Person
			change func(o *tenant.Organisation)
			want   problem
		}{
			{"ErrProfessional", &professional, func(*tenant.Organisation) {}, forbidden},
			// A municipality admin may only add organisations to their own municipality.
			{"ErrAdminOfOneOfTwo", &admin, func(o *tenant.Organisation) { o.MunicipalityIDs = []string{woerden.ID, oudewater.ID} }, forbidden},
			{"ErrAdminElsewhere", &admin, func(o *tenant.Organisation) { o.MunicipalityIDs = []string{oudewater.ID} }, forbidden},
			{"ErrKvKShort", nil, func(o *tenant.Organisation) { o.KvK = "1234567" }, invalid(map[string]string{"kvk": "field.kvk.invalid"})},
			{"ErrKvKLong", nil, func(o *tenant.Organisation) { o.KvK = "123456789" }, invalid(map[string]string{"kvk": "field.kvk.invalid"})},
			{"ErrKvKLetters", nil, func(o *tenant.Organisation) { o.KvK = "1234567a" }, invalid(map[string]string{"kvk": "field.kvk.invalid"})},
			{"ErrKvKOtherDigits", nil, func(o *tenant.Organisation) { o.KvK = "１２３４５６７８" }, invalid(map[string]string{"kvk": "field.kvk.invalid"})},
			{"ErrKind", nil, func(o *tenant.Organisation) { o.Kind = "club" }, invalid(map[string]string{"kind": "field.kind.invalid"})},
			{"ErrName", nil, func(o *tenant.Organisation) { o.Name = "" }, invalid(map[string]string{"name": "field.name.required"})},
			{"ErrNoMunicipality", &platform, func(o *tenant.Organisation) { o.MunicipalityIDs = nil }, invalid(map[string]string{"municipality": "field.municipality.required"})},
			{"ErrUnknownMunicipality", &platform, func(o *tenant.Organisation) { o.MunicipalityIDs = []string{"no-such-place"} }, problem{Kind: errs.Invalid, Key: "error.reference"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				o := good
				tc.change(&o)
				_, err := svc.CreateOrganisation(ctx, tc.actor, o)
				wantProblem(t, err, tc.want)
			})
		}
		for _, m := range []string{woerden.ID, oudewater.ID} {
			if list, _ := svc.Organisations(ctx, m); len(list) != 0 {
				t.Fatalf("refused organisations were stored: %+v", list)
			}
		}

		okTests := []struct {
			name  string
			actor *identity.Person
			org   tenant.Organisation
		}{
			{"OKMunicipalityAdmin", &admin, good},
			{"OKPlatformAdminTwoMunicipalities", &platform, tenant.Organisation{Name: "ISD Kromme Rijn", Kind: tenant.OrgISD,
				MunicipalityIDs: []string{woerden.ID, oudewater.ID}}},
			{"OKCommandLineNoKvK", nil, tenant.Organisation{Name: "Buurtzorg", Kind: tenant.OrgProvider, MunicipalityIDs: []string{oudewater.ID}}},
		}
		for _, tc := range okTests {
			t.Run(tc.name, func(t *testing.T) {
				o, err := svc.CreateOrganisation(ctx, tc.actor, tc.org)
				if err != nil {
					t.Fatalf("CreateOrganisation: %v", err)
				}
				stored, err := svc.Organisation(ctx, o.ID)
				if err != nil {
					t.Fatal(err)
				}
				want := tc.org
				want.ID, want.Name, want.CreatedAt = o.ID, strings.TrimSpace(tc.org.Name), sqltest.Epoch
				if diff := cmp.Diff(want, stored, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
					t.Errorf("stored organisation (-want +got):\n%s", diff)
				}
			})
		}
		t.Run("OKMunicipalityNamedTwice", func(t *testing.T) {
			o, err := svc.CreateOrganisation(ctx, &platform, tenant.Organisation{Name: "Dubbel", Kind: tenant.OrgProvider,
				MunicipalityIDs: []string{oudewater.ID, oudewater.ID}})
			if err != nil {
				t.Fatalf("CreateOrganisation: %v", err)
			}
			stored, err := svc.Organisation(ctx, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{oudewater.ID}, stored.MunicipalityIDs); diff != "" {
				t.Errorf("municipalities (-want +got):\n%s", diff)
			}
		})
		list, err := svc.Organisations(ctx, woerden.ID)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, o := range list {
			names = append(names, o.Name)
		}
		if diff := cmp.Diff([]string{"ISD Kromme Rijn", "Sociaal team Woerden"}, names); diff != "" {
			t.Errorf("Organisations(Woerden) (-want +got):\n%s", diff)
		}
	})
}
