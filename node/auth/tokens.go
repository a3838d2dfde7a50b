package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cockroachdb/pebble/v2"
)

const (
	tokenPrefix = "auth/token/"
	// secretPrefix starts every secret, so that a leaked one is easy to recognize.
	secretPrefix = "omo_"
	secretBytes  = 32
	// maxNameRunes is the maximum length of a token name.
	maxNameRunes = 100
)

// secretLength is the length of a secret: the prefix and 32 bytes in unpadded base64url.
var secretLength = len(secretPrefix) + base64.RawURLEncoding.EncodedLen(secretBytes)

// Token is a staff member's bearer token without its secret. Name identifies the holder
// in the audit log.
type Token struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`
}

// storedToken is a token as stored: with the SHA-256 hash of its secret.
type storedToken struct {
	Token
	Hash []byte `json:"hash"`
}

// Tokens stores staff tokens in a Pebble database under auth/token/. It is safe for
// concurrent use.
type Tokens struct {
	db *pebble.DB
	// mu serializes Create, Revoke and Bootstrap, which read before they write.
	mu sync.Mutex
}

// NewTokens returns the token store kept in db.
func NewTokens(db *pebble.DB) *Tokens {
	return &Tokens{db: db}
}

// Create makes a token for the staff member name with role and returns its secret, which
// is "omo_" and 32 random bytes in unpadded base64url. The secret cannot be recovered
// later, because only its hash is stored.
func (t *Tokens) Create(name string, role Role) (string, Token, error) {
	if err := validateName(name); err != nil {
		return "", Token{}, fmt.Errorf("create token: %w", err)
	}

	if _, err := ParseRole(string(role)); err != nil {
		return "", Token{}, fmt.Errorf("create token: %w", err)
	}

	t.mu.Lock()
	defer t.mu.Unlock()

	return t.create(name, role)
}

// create stores a new token. The caller holds t.mu.
func (t *Tokens) create(name string, role Role) (string, Token, error) {
	raw := make([]byte, secretBytes)
	_, _ = rand.Read(raw) // crypto/rand.Read never returns an error since Go 1.24.

	secret := secretPrefix + base64.RawURLEncoding.EncodeToString(raw)
	tok := Token{ID: newTokenID(), Name: name, Role: role, CreatedAt: time.Now().UTC()}
	hash := sha256.Sum256([]byte(secret))

	value, err := json.Marshal(storedToken{Token: tok, Hash: hash[:]})
	if err != nil {
		return "", Token{}, fmt.Errorf("encode token %s: %w", tok.ID, err)
	}

	if err := t.db.Set([]byte(tokenPrefix+tok.ID), value, pebble.Sync); err != nil {
		return "", Token{}, fmt.Errorf("write token %s: %w", tok.ID, err)
	}

	return secret, tok, nil
}

// Verify returns the token whose secret is secret, or an error wrapping ErrUnauthorized.
// It compares the SHA-256 hash of secret with every stored hash in constant time and
// does not stop at a match, so the time taken does not depend on which token matched.
func (t *Tokens) Verify(secret string) (Token, error) {
	if len(secret) != secretLength || !strings.HasPrefix(secret, secretPrefix) {
		return Token{}, fmt.Errorf("%w: token is not in the omo_ format", ErrUnauthorized)
	}

	hash := sha256.Sum256([]byte(secret))
	stored, err := t.all()
	if err != nil {
		return Token{}, fmt.Errorf("verify token: %w", err)
	}

	var found Token
	matches := 0
	for _, s := range stored {
		if subtle.ConstantTimeCompare(hash[:], s.Hash) == 1 {
			found = s.Token
			matches++
		}
	}

	if matches != 1 {
		return Token{}, fmt.Errorf("%w: token is unknown or revoked", ErrUnauthorized)
	}

	return found, nil
}

// Revoke deletes the token with the given id, so that its secret stops working at once.
// It returns an error wrapping ErrNotFound for an unknown id, and ErrLastManager when
// the token is the only manager token, because no remaining token could then create
// new ones.
func (t *Tokens) Revoke(id string) error {
	t.mu.Lock()
	defer t.mu.Unlock()

	stored, err := t.all()
	if err != nil {
		return fmt.Errorf("revoke token %s: %w", id, err)
	}

	i := slices.IndexFunc(stored, func(s storedToken) bool { return s.ID == id })
	if i < 0 {
		return fmt.Errorf("revoke token: %w: %s", ErrNotFound, id)
	}

	if stored[i].Role == RoleManager && countRole(stored, RoleManager) == 1 {
		return fmt.Errorf("revoke token %s: %w", id, ErrLastManager)
	}

	if err := t.db.Delete([]byte(tokenPrefix+id), pebble.Sync); err != nil {
		return fmt.Errorf("revoke token %s: %w", id, err)
	}

	return nil
}

// List returns every current token, oldest first, without secrets or hashes.
func (t *Tokens) List() ([]Token, error) {
	stored, err := t.all()
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}

	out := make([]Token, len(stored))
	for i, s := range stored {
		out[i] = s.Token
	}

	slices.SortFunc(out, func(a, b Token) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}

		return strings.Compare(a.ID, b.ID)
	})

	return out, nil
}

// all reads every stored token.
func (t *Tokens) all() (out []storedToken, err error) {
	upper := []byte(tokenPrefix)
	upper[len(upper)-1]++

	bounds := &pebble.IterOptions{LowerBound: []byte(tokenPrefix), UpperBound: upper}
	iter, err := t.db.NewIter(bounds)
	if err != nil {
		return nil, fmt.Errorf("open iterator: %w", err)
	}

	defer func() {
		err = errors.Join(err, iter.Close())
	}()

	for valid := iter.First(); valid; valid = iter.Next() {
		value, err := iter.ValueAndErr()
		if err != nil {
			return nil, fmt.Errorf("read token %s: %w", iter.Key(), err)
		}

		var s storedToken
		if err := json.Unmarshal(value, &s); err != nil {
			return nil, fmt.Errorf("decode token %s: %w", iter.Key(), err)
		}

		out = append(out, s)
	}

	return out, iter.Error()
}

func countRole(stored []storedToken, role Role) int {
	n := 0
	for _, s := range stored {
		if s.Role == role {
			n++
		}
	}

	return n
}

func newTokenID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])

	return hex.EncodeToString(b[:])
}

func validateName(name string) error {
	if strings.TrimSpace(name) == "" {
		return fmt.Errorf("%w: token name is empty", ErrInvalid)
	}

	if !utf8.ValidString(name) || utf8.RuneCountInString(name) > maxNameRunes {
		return fmt.Errorf("%w: token name must be valid UTF-8 of at most %d characters",
			ErrInvalid, maxNameRunes)
	}

	return nil
}
