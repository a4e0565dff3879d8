package request_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/inwonercloud/inwonercloud/internal/app/request"
	"github.com/inwonercloud/inwonercloud/internal/core/errs"
	"github.com/inwonercloud/inwonercloud/internal/core/identity"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore"
	"github.com/inwonercloud/inwonercloud/internal/sqlstore/sqltest"
)

// TestService_Lifecycle: a request from sent to delivered, as both sides
// see it, with the timeline, the mail, the grant and the access log.
func TestService_Lifecycle(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		w := newWorld(t, db)
		r := w.ask(t, w.anna, "", w.free)
		if r.Status != request.StatusSent || r.Version != 1 || r.Funding != request.FundingFree || r.OfferingTitle != "Hulp in de huishouding" ||
			r.ProviderOrgID != w.zorg.ID || r.ResidentID != w.anna.ID || r.CreatedByID != w.anna.ID {
			t.Fatalf("Create = %+v", r)
		}
		// The provider's admins hear of it, without any detail.
		wantMail := []string{w.zorgAdmin.Email + " request_provider https://example.test/aanbieder/aanvragen/" + r.ID,
			w.sanne.Email + " request_provider https://example.test/aanbieder/aanvragen/" + r.ID}
		if diff := cmp.Diff(wantMail, w.mail.take()); diff != "" {
			t.Errorf("mail on create (-want +got):\n%s", diff)
		}
		// The message is stored sealed, not as text.
		st, err := db.FindRequestByID(ctx, r.ID)
		must(t, err)
		if string(st.SealedMessage) == r.Message || len(st.SealedMessage) == 0 {
			t.Errorf("message stored in the clear: %q", st.SealedMessage)
		}
		// Sending shared the requests with Groene Hart.
		grants, err := w.consent.GrantsBy(ctx, w.anna, w.anna.ID)
		must(t, err)
		if len(grants) != 1 || grants[0].Grant.GranteeOrgID != w.zorg.ID || grants[0].Grant.Categories[0] != request.Category {
			t.Fatalf("grants after the request: %+v", grants)
		}

		got, err := w.svc.Get(ctx, &w.zorgAdmin, "", r.ID)
		must(t, err)
		if got.Message != "Ik heb hulp nodig bij het schoonmaken." || got.ResidentName != "anna" {
			t.Errorf("provider's Get = %+v", got)
		}
		at := w.clock.Now().Add(48 * time.Hour).Truncate(time.Minute)
		r, err = w.svc.ProposeTime(ctx, &w.zorgAdmin, r.ID, r.Version, at)
		must(t, err)
		if r.Status != request.StatusTimeProposed || !r.ProposedTime.Equal(at) {
			t.Fatalf("ProposeTime = %+v", r)
		}
		if diff := cmp.Diff([]string{w.anna.Email + " request_resident https://example.test/aanvragen/" + r.ID}, w.mail.take()); diff != "" {
			t.Errorf("mail on propose (-want +got):\n%s", diff)
		}
		r, err = w.svc.AcceptProposedTime(ctx, &w.anna, "", r.ID, r.Version)
		must(t, err)
		if r.Status != request.StatusAccepted || !r.ProposedTime.Equal(at) {
			t.Fatalf("AcceptProposedTime = %+v", r)
		}
		if _, err := w.svc.Delivered(ctx, r.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("Delivered before delivery: %v, want NotFound", err)
		}
		w.clock.Advance(72 * time.Hour)
		r, err = w.svc.Deliver(ctx, &w.zorgPro, r.ID, r.Version)
		must(t, err)
		if r.Status != request.StatusDelivered || r.DeliveredAt == nil || r.Version != 4 {
			t.Fatalf("Deliver = %+v", r)
		}
		d, err := w.svc.Delivered(ctx, r.ID)
		must(t, err)
		if d.ID != r.ID || d.ResidentID != w.anna.ID || d.OfferingID != w.free.ID || d.DeliveredAt == nil || d.Message != "" {
			t.Errorf("Delivered = %+v", d)
		}

		mine, err := w.svc.Get(ctx, &w.anna, "", r.ID)
		must(t, err)
		var steps []string
		for _, e := range mine.Events {
			steps = append(steps, string(e.Status)+" by "+e.ByID)
		}
		want := []string{"sent by " + w.anna.ID, "time_proposed by " + w.zorgAdmin.ID, "accepted by " + w.anna.ID, "delivered by " + w.zorgPro.ID}
		if diff := cmp.Diff(want, steps); diff != "" {
			t.Errorf("timeline (-want +got):\n%s", diff)
		}
		// Every provider read and answer is in anna's log; her own are not.
		wantLog := []string{
			w.zorgAdmin.ID + " read request allowed", // Get
			w.zorgAdmin.ID + " read request allowed", // ProposeTime
			w.zorgPro.ID + " read request allowed",   // Deliver
		}
		if diff := cmp.Diff(wantLog, w.accessLog(t, w.anna)); diff != "" {
			t.Errorf("access log (-want +got):\n%s", diff)
		}
	})
}

// TestService_StateMachine: only the arrows of the state machine, only
// for their side, only on the version seen.
func TestService_StateMachine(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		w := newWorld(t, db)
		admin, anna := &w.zorgAdmin, &w.anna
		soon := w.clock.Now().Add(24 * time.Hour)

		r := w.ask(t, w.anna, "", w.free)
		_, err := w.svc.Deliver(ctx, admin, r.ID, r.Version)
		wantProblem(t, err, transition) // sent → delivered
		_, err = w.svc.AcceptProposedTime(ctx, anna, "", r.ID, r.Version)
		wantProblem(t, err, transition) // nothing proposed
		_, err = w.svc.Decline(ctx, admin, r.ID, r.Version, "  ")
		wantProblem(t, err, invalid(map[string]string{"reason": "field.decline_reason.required"}))
		_, err = w.svc.ProposeTime(ctx, admin, r.ID, r.Version, w.clock.Now().Add(-time.Hour))
		wantProblem(t, err, invalid(map[string]string{"proposed_time": "field.proposed_time.past"}))
		r2, err := w.svc.Accept(ctx, admin, r.ID, r.Version)
		must(t, err)
		_, err = w.svc.Cancel(ctx, anna, "", r.ID, r.Version) // the version before the accept
		wantProblem(t, err, changed)
		_, err = w.svc.Accept(ctx, admin, r.ID, r2.Version)
		wantProblem(t, err, transition) // accepted → accepted
		_, err = w.svc.Decline(ctx, admin, r.ID, r2.Version, "Te laat")
		wantProblem(t, err, transition) // accepted → declined
		r3, err := w.svc.Cancel(ctx, anna, "", r.ID, r2.Version)
		must(t, err)
		for name, f := range map[string]func() error{
			"Accept":  func() error { _, err := w.svc.Accept(ctx, admin, r.ID, r3.Version); return err },
			"Deliver": func() error { _, err := w.svc.Deliver(ctx, admin, r.ID, r3.Version); return err },
			"Cancel":  func() error { _, err := w.svc.Cancel(ctx, anna, "", r.ID, r3.Version); return err },
			"Propose": func() error { _, err := w.svc.ProposeTime(ctx, admin, r.ID, r3.Version, soon); return err },
		} {
			t.Run("Cancelled/"+name, func(t *testing.T) { wantProblem(t, f(), transition) })
		}

		// time_proposed: the provider cannot accept in the resident's place;
		// it can still decline, with the reason the resident reads.
		p := w.ask(t, w.anna, "", w.free)
		p, err = w.svc.ProposeTime(ctx, admin, p.ID, p.Version, soon)
		must(t, err)
		_, err = w.svc.Accept(ctx, admin, p.ID, p.Version)
		wantProblem(t, err, transition)
		p, err = w.svc.Decline(ctx, admin, p.ID, p.Version, "  We hebben geen plek meer. ")
		must(t, err)
		mine, err := w.svc.Get(ctx, anna, "", p.ID)
		must(t, err)
		if mine.Status != request.StatusDeclined || mine.Reason != "We hebben geen plek meer." {
			t.Errorf("declined request as anna reads it: %+v", mine)
		}
		st, err := db.FindRequestByID(ctx, p.ID)
		must(t, err)
		if len(st.SealedReason) == 0 || string(st.SealedReason) == mine.Reason {
			t.Errorf("reason not sealed: %q", st.SealedReason)
		}
	})
}

// TestService_Who: who may ask, see and answer.
func TestService_Who(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		w := newWorld(t, db)
		r := w.ask(t, w.anna, "", w.free)

		for _, p := range []identity.Person{w.bert, w.linieAdm, w.gemAdmin, w.carla} {
			_, err := w.svc.Get(ctx, &p, "", r.ID)
			wantProblem(t, err, notFound)
			_, err = w.svc.Cancel(ctx, &p, "", r.ID, r.Version)
			wantProblem(t, err, notFound)
			_, err = w.svc.Accept(ctx, &p, r.ID, r.Version)
			wantProblem(t, err, notFound)
		}
		_, err := w.svc.Get(ctx, &w.anna, "", "no-such-request")
		wantProblem(t, err, notFound)
		// The resident cannot answer for the provider, nor the provider
		// cancel for the resident.
		_, err = w.svc.Accept(ctx, &w.anna, r.ID, r.Version)
		wantProblem(t, err, notFound)
		_, err = w.svc.Cancel(ctx, &w.zorgAdmin, "", r.ID, r.Version)
		wantProblem(t, err, notFound)
		// Outsiders touched nothing: nothing of them is in anna's log.
		if got := w.accessLog(t, w.anna); len(got) != 0 {
			t.Errorf("access log after outsiders: %v", got)
		}
		// Nobody logged in.
		_, err = w.svc.Get(ctx, nil, "", r.ID)
		wantProblem(t, err, problem{Kind: errs.Unauthorized, Key: "error.unauthorized"})
		_, err = w.svc.Create(ctx, nil, "", w.free.ID, "Hallo", "")
		wantProblem(t, err, problem{Kind: errs.Unauthorized, Key: "error.unauthorized"})

		// Only published offerings; only residents; never your own organisation's.
		_, err = w.svc.Create(ctx, &w.anna, "", w.draft.ID, "Hallo", "")
		wantProblem(t, err, notFound)
		_, err = w.svc.Create(ctx, &w.linieAdm, "", w.free.ID, "Hallo", "")
		wantProblem(t, err, problem{Kind: errs.Forbidden, Key: "error.request.residents_only"})
		_, err = w.svc.Create(ctx, &w.sanne, "", w.free.ID, "Hallo", "")
		wantProblem(t, err, problem{Kind: errs.Forbidden, Key: "error.request.own_provider"})
		w.ask(t, w.sanne, "", w.lin) // another provider's offering is fine

		// Bad input: field errors, and nothing stored.
		_, err = w.svc.Create(ctx, &w.anna, "", w.budget.ID, " ", "")
		wantProblem(t, err, invalid(map[string]string{"message": "field.request_message.required", "funding": "field.funding.required"}))
		_, err = w.svc.Create(ctx, &w.anna, "", w.budget.ID, "Hallo", request.FundingFree)
		wantProblem(t, err, invalid(map[string]string{"funding": "field.funding.invalid"}))
		b, err := w.svc.Create(ctx, &w.anna, "", w.budget.ID, "Hallo", request.FundingBudget)
		must(t, err)
		if b.Funding != request.FundingBudget {
			t.Errorf("funding = %q", b.Funding)
		}
		mine, err := w.svc.ForResident(ctx, &w.anna, "")
		must(t, err)
		if len(mine) != 2 || mine[0].ID != b.ID || mine[1].ID != r.ID {
			t.Errorf("ForResident = %d requests, want the budget one then the first", len(mine))
		}
		// The second request to Groene Hart reused the live grant.
		grants, err := w.consent.GrantsBy(ctx, w.anna, w.anna.ID)
		must(t, err)
		if len(grants) != 1 {
			t.Errorf("anna has %d grants after two requests to one provider, want 1", len(grants))
		}

		// The provider's list: only its own organisation's, filtered by state.
		list, err := w.svc.ForProvider(ctx, &w.zorgPro, w.zorg.ID)
		must(t, err)
		if len(list) != 2 {
			t.Errorf("ForProvider(zorg) = %d, want 2", len(list))
		}
		_, err = w.svc.ForProvider(ctx, &w.linieAdm, w.zorg.ID)
		wantProblem(t, err, problem{Kind: errs.Forbidden, Key: "error.forbidden"})
		linie, err := w.svc.ForProvider(ctx, &w.linieAdm, w.linie.ID)
		must(t, err)
		if len(linie) != 1 || linie[0].ResidentID != w.sanne.ID {
			t.Errorf("ForProvider(linie) = %+v", linie)
		}
		_, err = w.svc.Accept(ctx, &w.zorgAdmin, b.ID, b.Version)
		must(t, err)
		sent, err := w.svc.ForProvider(ctx, &w.zorgAdmin, w.zorg.ID, request.StatusSent)
		must(t, err)
		if len(sent) != 1 || sent[0].ID != r.ID {
			t.Errorf("ForProvider(sent) = %d requests, want the first only", len(sent))
		}
	})
}

// TestService_Delegate: a delegate acts for the resident under a mandate
// covering requests; sharing with the provider needs the consent scope too.
func TestService_Delegate(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		w := newWorld(t, db)
		r := w.ask(t, w.carla, w.anna.ID, w.free)
		if r.ResidentID != w.anna.ID || r.CreatedByID != w.carla.ID {
			t.Fatalf("request by carla for anna: %+v", r)
		}
		_, err := w.svc.Create(ctx, &w.dirk, w.anna.ID, w.lin.ID, "Hallo", "")
		wantProblem(t, err, problem{Kind: errs.Forbidden, Key: "error.request.mandate_consent"})
		list, err := w.svc.ForResident(ctx, &w.dirk, w.anna.ID)
		must(t, err)
		if len(list) != 1 || list[0].ID != r.ID {
			t.Errorf("dirk's list for anna: %d requests", len(list))
		}
		_, err = w.svc.ForResident(ctx, &w.bert, w.anna.ID)
		wantProblem(t, err, notFound)
		_, err = w.svc.Get(ctx, &w.carla, w.bert.ID, r.ID) // acting for someone else
		wantProblem(t, err, notFound)
		_, err = w.svc.Cancel(ctx, &w.carla, w.anna.ID, r.ID, r.Version)
		must(t, err)

		a := w.anna.ID
		want := []string{
			w.carla.ID + " create request allowed for " + a,
			w.dirk.ID + " create request allowed for " + a,
			w.dirk.ID + " read request allowed for " + a,
			w.bert.ID + " read request denied for " + a,
			w.carla.ID + " update request allowed for " + a,
		}
		if diff := cmp.Diff(want, w.accessLog(t, w.anna)); diff != "" {
			t.Errorf("access log (-want +got):\n%s", diff)
		}
	})
}

// TestService_Revoked: when the resident revokes the grant, the provider
// no longer sees the request, and its attempt is logged as denied.
func TestService_Revoked(t *testing.T) {
	t.Parallel()
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		t.Parallel()
		ctx := context.Background()
		w := newWorld(t, db)
		r := w.ask(t, w.anna, "", w.free)
		grants, err := w.consent.GrantsBy(ctx, w.anna, w.anna.ID)
		must(t, err)
		_, err = w.consent.Revoke(ctx, w.anna, grants[0].Grant.ID)
		must(t, err)
		_, err = w.svc.Get(ctx, &w.zorgAdmin, "", r.ID)
		wantProblem(t, err, notFound)
		list, err := w.svc.ForProvider(ctx, &w.zorgAdmin, w.zorg.ID)
		must(t, err)
		if len(list) != 0 {
			t.Errorf("ForProvider after revocation = %d requests", len(list))
		}
		if diff := cmp.Diff([]string{w.zorgAdmin.ID + " read request denied"}, w.accessLog(t, w.anna)); diff != "" {
			t.Errorf("access log (-want +got):\n%s", diff)
		}
	})
}
