package profile

import "errors"

// Errors that callers branch on. Each is wrapped with the id or the invalid value.
var (
	// ErrNotFound means that no customer has the id.
	ErrNotFound = errors.New("customer not found")
	// ErrForgotten means that the customer was forgotten, so the id cannot be used again.
	ErrForgotten = errors.New("customer was forgotten")
	// ErrNoConsent means that a write would store a descriptor without recorded consent.
	ErrNoConsent = errors.New("no biometric consent")
	// ErrInvalid means that a customer or a request body failed validation.
	ErrInvalid = errors.New("invalid customer data")
	// ErrExists means that Create was called with the id of an existing customer.
	ErrExists = errors.New("customer already exists")
)
