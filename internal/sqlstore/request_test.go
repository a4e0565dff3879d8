package sqlstore_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/id"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

func TestStore_Requests(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := t.Context()
		w, _, prov, cw, _ := marketFixture(t, db)
		off := newOffering(prov, "Hulp in de huishouding", []string{w.ID}, []string{cw.ID})
		must(t, db.CreateOffering(ctx, &off))
		anna := sqltest.Citizen(t, db, w, "anna@example.nl")
		admin := sqltest.Person(t, db, sqltest.PersonSpec{Email: "eva@example.nl", TOTP: true,
			Roles: []identity.RoleAssignment{{Role: identity.RoleProviderAdmin, OrganisationID: prov.ID, MunicipalityID: w.ID}}})
		sqltest.Person(t, db, sqltest.PersonSpec{Email: "joost@example.nl", TOTP: true,
			Roles: []identity.RoleAssignment{{Role: identity.RoleProfessional, OrganisationID: prov.ID, MunicipalityID: w.ID}}})

		mk := func(d time.Duration) request.Stored {
			r := request.Request{ID: id.New(), OfferingID: off.ID, ProviderOrgID: prov.ID, ProviderName: prov.Name,
				ResidentID: anna.ID, ResidentName: anna.DisplayName, CreatedByID: anna.ID, OfferingTitle: off.Title,
				Status: request.StatusSent, Funding: request.FundingBudget, CreatedAt: at(d), UpdatedAt: at(d), Version: 1}
			s := request.Stored{Request: r, SealedMessage: []byte("sealed message")}
			must(t, db.CreateRequest(ctx, s, request.Event{RequestID: r.ID, Status: request.StatusSent, At: at(d), ByID: anna.ID}))
			return s
		}
		first, second := mk(0), mk(time.Hour)
		got, err := db.FindRequestByID(ctx, first.ID)
		must(t, err)
		if diff := cmp.Diff(first, got); diff != "" {
			t.Errorf("FindRequestByID (-want +got):\n%s", diff)
		}
		_, err = db.FindRequestByID(ctx, "nope")
		wantKind(t, err, errs.NotFound)

		// An update checks the version and adds the event.
		upd := first
		upd.Status, upd.ProposedTime, upd.UpdatedAt, upd.Version = request.StatusTimeProposed, ptr(at(48*time.Hour)), at(2*time.Hour), 2
		must(t, db.UpdateRequest(ctx, upd, 1, request.Event{RequestID: first.ID, Status: upd.Status, At: at(2 * time.Hour), ByID: admin.ID, ProposedTime: upd.ProposedTime}))
		wantKind(t, db.UpdateRequest(ctx, upd, 1, request.Event{RequestID: first.ID, Status: upd.Status, At: at(3 * time.Hour), ByID: admin.ID}), errs.Conflict)
		ghost := upd
		ghost.ID = "nope"
		wantKind(t, db.UpdateRequest(ctx, ghost, 1, request.Event{RequestID: "nope", Status: upd.Status, At: at(3 * time.Hour), ByID: admin.ID}), errs.NotFound)
		dec := upd
		dec.Status, dec.SealedReason, dec.UpdatedAt, dec.Version = request.StatusDeclined, []byte("sealed reason"), at(3*time.Hour), 3
		must(t, db.UpdateRequest(ctx, dec, 2, request.Event{RequestID: first.ID, Status: dec.Status, At: at(3 * time.Hour), ByID: admin.ID}))
		got, err = db.FindRequestByID(ctx, first.ID)
		must(t, err)
		if diff := cmp.Diff(dec, got); diff != "" {
			t.Errorf("after updates (-want +got):\n%s", diff)
		}
		events, err := db.FindRequestEvents(ctx, first.ID)
		must(t, err)
		wantEvents := []request.Event{
			{RequestID: first.ID, Status: request.StatusSent, At: at(0), ByID: anna.ID},
			{RequestID: first.ID, Status: request.StatusTimeProposed, At: at(2 * time.Hour), ByID: admin.ID, ProposedTime: ptr(at(48 * time.Hour))},
			{RequestID: first.ID, Status: request.StatusDeclined, At: at(3 * time.Hour), ByID: admin.ID},
		}
		if diff := cmp.Diff(wantEvents, events); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}

		ids := func(list []request.Stored, err error) []string {
			t.Helper()
			must(t, err)
			var out []string
			for _, s := range list {
				out = append(out, s.ID)
			}
			return out
		}
		if diff := cmp.Diff([]string{second.ID, first.ID}, ids(db.FindRequestsByResident(ctx, anna.ID))); diff != "" {
			t.Errorf("by resident, newest first (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{second.ID, first.ID}, ids(db.FindRequestsByProvider(ctx, prov.ID, nil))); diff != "" {
			t.Errorf("by provider (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{first.ID}, ids(db.FindRequestsByProvider(ctx, prov.ID, []request.Status{request.StatusDeclined, request.StatusDelivered}))); diff != "" {
			t.Errorf("by provider, declined or delivered (-want +got):\n%s", diff)
		}
		if got := ids(db.FindRequestsByProvider(ctx, "other", nil)); len(got) != 0 {
			t.Errorf("another organisation's requests: %v", got)
		}
		admins, err := db.FindProviderAdmins(ctx, prov.ID)
		must(t, err)
		if len(admins) != 1 || admins[0].ID != admin.ID {
			t.Errorf("FindProviderAdmins = %+v, want eva only", admins)
		}
	})
}
