package web

import "net/http"

// app is a tile on the start page.
type app struct {
	Key  string // message key prefix: app.<key>.name / .text
	Href string
}

// homeData lists what the start page offers the person.
type homeData struct {
	Apps  []app
	Admin []app
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := s.newPage(rq, r, "home", "home.title")
	// Hulp zoeken: for everyone, logged in or not.
	d := homeData{Apps: []app{{Key: "market", Href: "/aanbod"}}}
	if rq.person != nil {
		d.Apps = append(d.Apps, []app{{Key: "account", Href: "/account"}, {Key: "sessions", Href: "/account/sessies"}, {Key: "mfa", Href: "/account/tweestapsverificatie"}}...)
		// Eigen verhaal: residents, and delegates acting for one.
		if rq.person.Has("citizen") || rq.session.ActingFor != "" {
			d.Apps = append([]app{{Key: "story", Href: "/verhaal"}}, d.Apps...)
		}
		if rq.person.Has("professional") || rq.person.Has("consultant") {
			d.Apps = append([]app{{Key: "shared", Href: "/gedeeld"}}, d.Apps...)
		}
		// Marktplaats: one's requests and reviews; the provider's portal.
		if rq.person.Has("citizen") || rq.session.ActingFor != "" {
			d.Apps = append(d.Apps, app{Key: "requests", Href: "/aanvragen"}, app{Key: "reviews", Href: "/beoordelingen"})
		}
		if rq.person.Has("provider_admin") {
			d.Admin = append(d.Admin, app{Key: "portal", Href: "/aanbieder"}, app{Key: "provider_requests", Href: "/aanbieder/aanvragen"},
				app{Key: "provider_reviews", Href: "/aanbieder/beoordelingen"})
		}
		// Sharing, mandates and the access log, for everyone about their own data.
		d.Apps = append(d.Apps, app{Key: "consent", Href: "/delen"}, app{Key: "mandates", Href: "/machtigingen"}, app{Key: "accesslog", Href: "/wie-keek-mee"})
		if rq.person.HasIn("tenant_admin", rq.municipality.ID) {
			d.Admin = append(d.Admin, app{Key: "staff", Href: "/beheer/medewerkers"})
		}
		if rq.person.HasIn("consultant", rq.municipality.ID) || rq.person.HasIn("tenant_admin", rq.municipality.ID) {
			d.Admin = append(d.Admin, app{Key: "admin_mandates", Href: "/beheer/machtigingen"})
		}
		if rq.person.HasIn("tenant_admin", rq.municipality.ID) || rq.person.HasIn("consultant", rq.municipality.ID) {
			d.Admin = append(d.Admin, app{Key: "approval", Href: "/beheer/aanbod"})
		}
		if rq.person.HasIn("tenant_admin", rq.municipality.ID) {
			d.Admin = append(d.Admin, app{Key: "categories", Href: "/beheer/categorieen"}, app{Key: "exchange", Href: "/beheer/aanbod/uitwisselen"})
		}
		// Eigen budget: the resident's overview, the provider's agreements
		// and claims, the consultant's budgets.
		if s.Budget != nil {
			if rq.person.Has("citizen") || rq.session.ActingFor != "" {
				d.Apps = append(d.Apps, app{Key: "budget", Href: "/budget"})
			}
			if rq.person.Has("provider_admin") {
				d.Admin = append(d.Admin, app{Key: "provider_budget", Href: "/aanbieder/budget"})
			}
			if rq.person.Has("consultant") {
				d.Admin = append(d.Admin, app{Key: "budgets", Href: "/beheer/budgetten"})
			}
			if rq.person.HasIn("tenant_admin", rq.municipality.ID) {
				d.Admin = append(d.Admin, app{Key: "budget_settings", Href: "/beheer/budget-instellingen"})
			}
		}
		if rq.person.Has("moderator") {
			d.Admin = append(d.Admin, app{Key: "moderation", Href: "/beheer/beoordelingen"})
		}
		if rq.person.Has("platform_admin") {
			d.Admin = append(d.Admin, app{Key: "municipalities", Href: "/beheer/gemeenten"})
		}
	}
	p.Data = d
	return s.show(w, r, p)
}

func (s *Server) handleAccessibility(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.show(w, r, s.newPage(rq, r, "accessibility", "a11y.title"))
}

// handleSecurityPolicy is the responsible-disclosure policy that
// security.txt points to.
func (s *Server) handleSecurityPolicy(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.show(w, r, s.newPage(rq, r, "security", "security.title"))
}
