package auth

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestTokens_CreateVerify(t *testing.T) {
	db, _ := mustDB(t)
	tokens := NewTokens(db)
	before := time.Now()

	secret, tok := mustCreateToken(t, tokens, "Linh", RoleAssistant)

	if !strings.HasPrefix(secret, "omo_") {
		t.Errorf("secret %q does not start with omo_", secret)
	}

	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(secret, "omo_"))
	if err != nil || len(raw) != 32 {
		t.Errorf("secret body decodes to %d bytes (%v), want 32", len(raw), err)
	}

	if tok.Name != "Linh" || tok.Role != RoleAssistant || tok.ID == "" {
		t.Errorf("token %+v, want name Linh, role assistant and an id", tok)
	}

	if tok.CreatedAt.Before(before) || tok.CreatedAt.After(time.Now()) {
		t.Errorf("created_at %v is not between %v and now", tok.CreatedAt, before)
	}

	got, err := tokens.Verify(secret)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}

	if got != tok {
		t.Errorf("verify returned %+v, want %+v", got, tok)
	}
}

func TestTokens_VerifyRejects(t *testing.T) {
	db, _ := mustDB(t)
	tokens := NewTokens(db)
	secret, _ := mustCreateToken(t, tokens, "Linh", RoleAssistant)
	mustCreateToken(t, tokens, "Claire", RoleManager)
	revoked, revokedTok := mustCreateToken(t, tokens, "Former", RoleAssistant)
	if err := tokens.Revoke(revokedTok.ID); err != nil {
		t.Fatalf("revoke: %v", err)
	}

	flipped := []byte(secret)
	flipped[10] ^= 1
	cases := []struct {
		name   string
		secret string
	}{
		{"empty", ""},
		{"no prefix", strings.TrimPrefix(secret, "omo_")},
		{"truncated", secret[:len(secret)-1]},
		{"one bit changed", string(flipped)},
		{"unknown", "omo_" + strings.Repeat("A", 43)},
		{"revoked", revoked},
		{"with newline", secret + "\n"},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tokens.Verify(tc.secret); !errors.Is(err, ErrUnauthorized) {
				t.Errorf("verify: %v, want ErrUnauthorized", err)
			}
		})
	}
}

func TestTokens_CreateInvalid(t *testing.T) {
	db, _ := mustDB(t)
	tokens := NewTokens(db)
	cases := []struct {
		name, tokenName string
		role            Role
	}{
		{"empty name", "", RoleAssistant},
		{"blank name", "  ", RoleManager},
		{"long name", strings.Repeat("n", 101), RoleManager},
		{"name not UTF-8", "Linh\xff", RoleManager},
		{"unknown role", "Linh", "owner"},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := tokens.Create(tc.tokenName, tc.role); !errors.Is(err, ErrInvalid) {
				t.Errorf("create: %v, want ErrInvalid", err)
			}
		})
	}

	if list, _ := tokens.List(); len(list) != 0 {
		t.Errorf("rejected tokens were stored: %+v", list)
	}
}

func TestTokens_Revoke(t *testing.T) {
	db, _ := mustDB(t)
	tokens := NewTokens(db)
	_, first := mustCreateToken(t, tokens, "Claire", RoleManager)
	secret, second := mustCreateToken(t, tokens, "Hiro", RoleManager)
	_, assistant := mustCreateToken(t, tokens, "Linh", RoleAssistant)

	if err := tokens.Revoke(second.ID); err != nil {
		t.Fatalf("revoke second manager: %v", err)
	}

	if _, err := tokens.Verify(secret); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("verify revoked: %v, want ErrUnauthorized", err)
	}

	if err := tokens.Revoke(second.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoke twice: %v, want ErrNotFound", err)
	}

	if err := tokens.Revoke(first.ID); !errors.Is(err, ErrLastManager) {
		t.Errorf("revoke last manager: %v, want ErrLastManager", err)
	}

	if err := tokens.Revoke(assistant.ID); err != nil {
		t.Errorf("revoke assistant: %v", err)
	}

	list, err := tokens.List()
	if err != nil || len(list) != 1 || list[0] != first {
		t.Errorf("list %+v (%v), want only %+v", list, err, first)
	}
}

func TestTokens_ListOldestFirst(t *testing.T) {
	db, _ := mustDB(t)
	tokens := NewTokens(db)
	var want []Token
	for _, name := range []string{"Claire", "Linh", "Hiro"} {
		_, tok := mustCreateToken(t, tokens, name, RoleAssistant)
		want = append(want, tok)
	}

	got, err := tokens.List()
	if err != nil {
		t.Fatalf("list: %v", err)
	}

	if len(got) != len(want) {
		t.Fatalf("list has %d tokens, want %d", len(got), len(want))
	}

	for i := range want {
		if got[i] != want[i] {
			t.Errorf("token %d is %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestTokens_SecretNotOnDisk checks that no file of the database, write-ahead logs
// included, contains a secret.
func TestTokens_SecretNotOnDisk(t *testing.T) {
	db, dir := mustDB(t)
	tokens := NewTokens(db)
	secret, _ := mustCreateToken(t, tokens, "Linh", RoleManager)
	if err := db.Flush(); err != nil {
		t.Fatalf("flush: %v", err)
	}

	body := strings.TrimPrefix(secret, "omo_")
	raw, _ := base64.RawURLEncoding.DecodeString(body)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("read dir: %v", err)
	}

	for _, entry := range entries {
		data, err := os.ReadFile(filepath.Join(dir, entry.Name()))
		if err != nil {
			t.Fatalf("read %s: %v", entry.Name(), err)
		}

		if bytes.Contains(data, []byte(body)) || bytes.Contains(data, raw) {
			t.Errorf("%s contains the secret", entry.Name())
		}
	}
}

func TestRole_Allows(t *testing.T) {
	cases := []struct {
		role, min Role
		want      bool
	}{
		{RoleManager, RoleManager, true},
		{RoleManager, RoleAssistant, true},
		{RoleAssistant, RoleAssistant, true},
		{RoleAssistant, RoleManager, false},
		{"owner", RoleAssistant, false},
		{"", RoleAssistant, false},
	}

	for _, tc := range cases {
		if got := tc.role.Allows(tc.min); got != tc.want {
			t.Errorf("%q.Allows(%q) = %v, want %v", tc.role, tc.min, got, tc.want)
		}
	}
}

func BenchmarkTokens_Verify(b *testing.B) {
	db, _ := mustDB(b)
	tokens := NewTokens(db)
	var secret string
	for i := range 50 {
		secret, _ = mustCreateToken(b, tokens, "staff", []Role{RoleAssistant, RoleManager}[i%2])
	}

	for b.Loop() {
		if _, err := tokens.Verify(secret); err != nil {
			b.Fatalf("verify: %v", err)
		}
	}
}
