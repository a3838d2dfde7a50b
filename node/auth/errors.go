package auth

import "errors"

// Errors that callers branch on.
var (
	// ErrUnauthorized means that a secret matches no current token.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrNotFound means that no token has the id.
	ErrNotFound = errors.New("token not found")
	// ErrLastManager means that revoking the token would leave no manager token.
	ErrLastManager = errors.New("cannot revoke the last manager token")
	// ErrInvalid means that a token name, a role or an audit entry is invalid.
	ErrInvalid = errors.New("invalid input")
)
