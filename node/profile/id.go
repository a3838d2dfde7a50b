package profile

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
)

// NewID returns a random customer id: 16 bytes from crypto/rand as 26 lower-case base32
// characters without padding, safe in keys and URLs.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error since Go 1.24.

	encoded := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])

	return strings.ToLower(encoded)
}
