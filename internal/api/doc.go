// Package api is Inwonercloud's JSON API under /api/v1: a thin edge over the
// same services the web pages use, described by an OpenAPI 3.1 document at
// /api/v1/openapi.json and built with huma on the standard library mux.
//
// Invariants:
//   - Handlers only parse input, call a service and render; consent checks,
//     throttling and audit live in the services, so the API cannot skip them.
//   - Every response under /api/v1, errors and unknown paths included,
//     carries the API-Version header.
//   - Every error is an RFC 9457 application/problem+json body whose detail
//     comes from the i18n catalogue (Dutch, or English when Accept-Language
//     prefers it) by the error's message key; validation errors list their
//     fields in invalidParams (NL API Design Rules). An error kind maps to
//     an HTTP status in one place (kindStatus); an internal error's text is
//     logged, never shown.
//   - Paths never end in "/" and there are no redirects: an unknown path,
//     with or without a trailing slash, answers 404 problem+json.
//   - A bearer token is only ever shown once, when it is issued; listings
//     show its id, name and times, never the secret or its hash.
//   - The client address used for login throttling is the TCP peer
//     (RemoteAddr), never a client-supplied header such as X-Forwarded-For.
package api
