// Package auth authenticates staff with bearer tokens, checks their role, and keeps the
// audit log of what they did to client profiles. Tokens and audit entries live in the
// node's Pebble database under the key prefixes auth/ and audit/. Only the SHA-256 hash
// of a token secret is stored.
package auth
