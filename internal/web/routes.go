package web

import (
	"net/http"
)

// routes is every route of the site, in one place.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()

	// Operations: no session, no personal data.
	mux.HandleFunc("GET /healthz", s.handleHealthz)
	mux.HandleFunc("GET /readyz", s.handleReadyz)
	mux.Handle("GET /metrics", s.metrics.handler())
	mux.Handle("GET /static/", s.static)
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, s.static.url("img/favicon.svg"), http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /.well-known/security.txt", s.handleSecurityTxt)

	// Public pages.
	mux.Handle("GET /{$}", s.page(public, s.handleHome))
	mux.Handle("GET /toegankelijkheid", s.page(public, s.handleAccessibility))
	mux.Handle("GET /beveiliging", s.page(public, s.handleSecurityPolicy))
	mux.Handle("POST /taal", s.page(public, s.handleLanguage))
	mux.Handle("POST /gemeente", s.page(public, s.handleMunicipalityChoose))

	// Marktplaats: anyone may browse and search, without logging in.
	mux.Handle("GET /aanbod", s.page(public, s.handleMarketSearch))
	mux.Handle("GET /aanbod/{id}", s.page(public, s.handleMarketOffering))
	s.marketPortalRoutes(mux)   // provider portal, approval queue, categories (market_portal.go)
	s.marketRequestRoutes(mux)  // requests for an offering (market_request.go)
	s.marketReviewRoutes(mux)   // Waarderen: reviews and their moderation (market_review.go)
	s.marketExchangeRoutes(mux) // HSDS import and export (market_exchange.go)
	s.budgetRoutes(mux)         // Eigen budget (budget.go)

	// Logging in and out.
	mux.Handle("GET /inloggen", s.page(public, s.handleLoginShow))
	mux.Handle("POST /inloggen", s.page(public, s.handleLogin))
	mux.Handle("GET /inloggen/code", s.page(pending, s.handleLoginCodeShow))
	mux.Handle("POST /inloggen/code", s.page(pending, s.handleLoginCode))
	mux.Handle("GET /inloggen/instellen", s.page(pending, s.handleLoginEnrolShow))
	mux.Handle("POST /inloggen/instellen", s.page(pending, s.handleLoginEnrol))
	mux.Handle("POST /uitloggen", s.page(public, s.handleLogout))
	mux.Handle("GET /sessie/verloopt", s.page(peek, s.handleIdleWarning))
	mux.Handle("POST /sessie/verlengen", s.page(public, s.handleIdleExtend))
	mux.Handle("GET /sessie/verlopen", s.page(peek, s.handleIdleExpired))

	// Accounts.
	mux.Handle("GET /registreren", s.page(public, s.handleRegisterShow))
	mux.Handle("POST /registreren", s.page(public, s.handleRegister))
	mux.Handle("GET /e-mail-bevestigen", s.page(public, s.handleVerifyEmailShow))
	mux.Handle("POST /e-mail-bevestigen", s.page(public, s.handleVerifyEmail))
	mux.Handle("GET /wachtwoord-vergeten", s.page(public, s.handleForgotShow))
	mux.Handle("POST /wachtwoord-vergeten", s.page(public, s.handleForgot))
	mux.Handle("GET /wachtwoord-herstellen", s.page(public, s.handleResetShow))
	mux.Handle("POST /wachtwoord-herstellen", s.page(public, s.handleReset))

	// Account settings.
	mux.Handle("GET /account", s.page(loggedIn, s.handleAccountShow))
	mux.Handle("POST /account", s.page(loggedIn, s.handleAccountUpdate))
	mux.Handle("GET /account/wachtwoord", s.page(loggedIn, s.handlePasswordShow))
	mux.Handle("POST /account/wachtwoord", s.page(loggedIn, s.handlePasswordChange))
	mux.Handle("GET /account/sessies", s.page(loggedIn, s.handleSessionsShow))
	mux.Handle("POST /account/sessies/{id}/beeindigen", s.page(loggedIn, s.handleSessionEnd))
	mux.Handle("POST /account/sessies/andere-beeindigen", s.page(loggedIn, s.handleSessionEndOthers))
	mux.Handle("GET /account/tweestapsverificatie", s.page(loggedIn, s.handleMFAShow))
	mux.Handle("POST /account/tweestapsverificatie/starten", s.page(loggedIn, s.handleMFABegin))
	mux.Handle("POST /account/tweestapsverificatie/bevestigen", s.page(loggedIn, s.handleMFAConfirm))
	mux.Handle("POST /account/tweestapsverificatie/uitzetten", s.page(loggedIn, s.handleMFADisable))
	mux.Handle("GET /account/tokens", s.page(loggedIn, s.handleTokensShow))
	mux.Handle("POST /account/tokens/{id}/intrekken", s.page(loggedIn, s.handleTokenRevoke))

	// Export and erasure.
	mux.Handle("GET /account/gegevens", s.page(loggedIn, s.handleExportShow))
	mux.Handle("GET /account/gegevens/export.json", s.page(loggedIn, s.handleExportJSON))
	mux.Handle("GET /account/gegevens/export.html", s.page(loggedIn, s.handleExportHTML))
	mux.Handle("GET /account/verwijderen", s.page(loggedIn, s.handleEraseShow))
	mux.Handle("POST /account/verwijderen", s.page(loggedIn, s.handleErase))

	// Eigen verhaal.
	mux.Handle("GET /verhaal", s.page(loggedIn, s.handleStoryShow))
	mux.Handle("GET /verhaal/bewerken", s.page(loggedIn, s.handleStoryEditShow))
	mux.Handle("POST /verhaal/bewerken", s.page(loggedIn, s.handleStoryEdit))
	mux.Handle("GET /verhaal/versies", s.page(loggedIn, s.handleStoryVersions))
	mux.Handle("GET /verhaal/versies/{n}", s.page(loggedIn, s.handleStoryVersion))
	mux.Handle("GET /verhaal/afdrukken", s.page(loggedIn, s.handleStoryPrint))
	mux.Handle("GET /verhaal/download", s.page(loggedIn, s.handleStoryDownload))
	mux.Handle("GET /gedeeld", s.page(loggedIn, s.handleSharedList))
	mux.Handle("GET /gedeeld/{resident}/verhaal", s.page(loggedIn, s.handleSharedStory))
	mux.Handle("POST /gedeeld/{resident}/verhaal/{section}/reactie", s.page(loggedIn, s.handleSharedComment))

	// Administration.
	mux.Handle("GET /beheer/medewerkers", s.page(loggedIn, s.handleStaffShow))
	mux.Handle("POST /beheer/medewerkers", s.page(loggedIn, s.handleStaffInvite))
	mux.Handle("POST /beheer/medewerkers/{person}/rollen/{role}/verwijderen", s.page(loggedIn, s.handleStaffRemoveRole))
	mux.Handle("GET /beheer/gemeenten", s.page(loggedIn, s.handleMunicipalitiesShow))
	mux.Handle("POST /beheer/gemeenten", s.page(loggedIn, s.handleMunicipalityCreate))
	mux.Handle("GET /beheer/machtigingen", s.page(loggedIn, s.handleAdminMandateShow))
	mux.Handle("POST /beheer/machtigingen", s.page(loggedIn, s.handleAdminMandateCreate))

	// Sharing, mandates, access log.
	mux.Handle("GET /bevestig-wachtwoord", s.page(loggedIn, s.handleStepUpShow))
	mux.Handle("POST /bevestig-wachtwoord", s.page(loggedIn, s.handleStepUp))
	mux.Handle("GET /delen", s.page(loggedIn, s.handleConsentList))
	mux.Handle("GET /delen/nieuw", s.page(loggedIn, s.handleConsentNewShow))
	mux.Handle("POST /delen/nieuw", s.page(loggedIn, s.handleConsentCreate))
	mux.Handle("GET /delen/{id}", s.page(loggedIn, s.handleConsentShow))
	mux.Handle("POST /delen/{id}/verlengen", s.page(loggedIn, s.handleConsentExtend))
	mux.Handle("POST /delen/{id}/intrekken", s.page(loggedIn, s.handleConsentRevoke))
	mux.Handle("GET /machtigingen", s.page(loggedIn, s.handleMandateList))
	mux.Handle("GET /machtigingen/nieuw", s.page(loggedIn, s.handleMandateNewShow))
	mux.Handle("POST /machtigingen/nieuw", s.page(loggedIn, s.handleMandateCreate))
	mux.Handle("POST /machtigingen/{id}/intrekken", s.page(loggedIn, s.handleMandateRevoke))
	mux.Handle("POST /namens", s.page(loggedIn, s.handleActFor))
	mux.Handle("GET /wie-keek-mee", s.page(loggedIn, s.handleAccessLog))

	// Demo only: the mail that would have been sent.
	if s.Demo != nil {
		mux.Handle("GET /demo/outbox", s.page(public, s.handleOutbox))
	}

	if s.API != nil {
		s.API(mux)
	}

	// Everything else is a friendly 404.
	mux.Handle("/", s.page(public, func(w http.ResponseWriter, r *http.Request, rq *request) error {
		s.renderErrorFor(w, r, rq, http.StatusNotFound, "")
		return nil
	}))

	var h http.Handler = mux
	h = s.crossOrigin(h)
	h = limitBody(1<<20, h)
	h = s.headers(h)
	h = s.observe(h)
	return h
}
