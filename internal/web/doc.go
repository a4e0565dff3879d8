// Package web serves Inwonercloud's server-rendered HTML: every route in
// routes.go, one action per file, templates and static assets embedded and
// checked at start-up.
//
// Invariants:
//   - A handler only parses input, calls a service and renders; consent,
//     policy and audit live in the services.
//   - Every page works without JavaScript; GET never changes state; a
//     cross-origin state-changing request is refused.
//   - No inline script or style anywhere, so the Content-Security-Policy
//     stays strict; pages with personal data are never cached.
//   - A person never sees an internal error's text; it is logged with the
//     request id, without personal data.
//   - A form with bad input is shown again with the person's input and a
//     message next to each wrong field; nothing is saved.
package web
