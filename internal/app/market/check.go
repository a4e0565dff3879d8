package market

import "github.com/inwonercloud/inwonercloud/internal/core/errs"

// Add records a field error unless the field already has one.
func (f fieldErrors) Add(field, key string) { errs.Fields(f).Add(field, key) }

// Err returns an Invalid error with the field errors, or nil.
func (f fieldErrors) Err(op string) error { return errs.Fields(f).Err(op) }
