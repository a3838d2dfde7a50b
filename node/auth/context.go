package auth

import "context"

type tokenKey struct{}

// WithToken returns a copy of ctx that carries tok, as Require does for its handler.
func WithToken(ctx context.Context, tok Token) context.Context {
	return context.WithValue(ctx, tokenKey{}, tok)
}

// FromContext returns the token that Require put in ctx, and false when there is none.
func FromContext(ctx context.Context) (Token, bool) {
	tok, ok := ctx.Value(tokenKey{}).(Token)

	return tok, ok
}
