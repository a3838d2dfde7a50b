package auth

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRequire_Requests(t *testing.T) {
	db, _ := mustDB(t)
	tokens := NewTokens(db)
	assistant, _ := mustCreateToken(t, tokens, "Linh", RoleAssistant)
	manager, _ := mustCreateToken(t, tokens, "Claire", RoleManager)
	revoked, revokedTok := mustCreateToken(t, tokens, "Former", RoleAssistant)
	if err := tokens.Revoke(revokedTok.ID); err != nil {
		t.Fatalf("revoke: %v", err)
	}

	cases := []struct {
		name      string
		min       Role
		header    string
		query     string
		status    int
		challenge string
		actor     string
	}{
		{"missing", RoleAssistant, "", "", 401, `Bearer realm="omotenashi"`, ""},
		{"basic scheme", RoleAssistant, "Basic bGluaDpwdw==", "", 401, `error="invalid_token"`, ""},
		{"bearer without token", RoleAssistant, "Bearer ", "", 401, `error="invalid_token"`, ""},
		{"wrong token", RoleAssistant, "Bearer omo_" + strings.Repeat("x", 43), "", 401,
			`error="invalid_token"`, ""},
		{"revoked", RoleAssistant, "Bearer " + revoked, "", 401, `error="invalid_token"`, ""},
		{"insufficient role", RoleManager, "Bearer " + assistant, "", 403,
			`error="insufficient_scope"`, ""},
		{"header and query", RoleAssistant, "Bearer " + assistant, manager, 400,
			`error="invalid_request"`, ""},
		{"assistant", RoleAssistant, "Bearer " + assistant, "", 200, "", "Linh"},
		{"lower-case scheme", RoleAssistant, "bearer " + assistant, "", 200, "", "Linh"},
		{"manager as assistant", RoleAssistant, "Bearer " + manager, "", 200, "", "Claire"},
		{"manager", RoleManager, "Bearer " + manager, "", 200, "", "Claire"},
		{"query token on a stream", RoleManager, "", manager, 200, "", "Claire"},
		{"query token elsewhere", RoleManager, "", manager, 400, `error="invalid_request"`, ""},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var seen *http.Request
			next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seen = r
				tok, _ := FromContext(r.Context())
				_, _ = w.Write([]byte(tok.Name))
			})

			target := "/v1/customers?q=tanaka"
			if tc.query != "" {
				target += "&access_token=" + tc.query
			}

			req := httptest.NewRequest(http.MethodGet, target, nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}

			rec := httptest.NewRecorder()
			// These cases run through RequireForStream, which also reads the query.
			stream := tc.name == "header and query" || tc.name == "query token on a stream"
			if stream {
				RequireForStream(tokens, tc.min, next).ServeHTTP(rec, req)
			} else {
				Require(tokens, tc.min, next).ServeHTTP(rec, req)
			}
			checkResponse(t, rec, tc.status, tc.challenge, tc.actor)

			if tc.status != 200 {
				if seen != nil {
					t.Errorf("handler ran for a rejected request")
				}

				return
			}

			leaked := seen.URL.Query().Has(QueryParameter) ||
				strings.Contains(seen.RequestURI, "access_token")
			if leaked {
				t.Errorf("handler saw the token in %s", seen.RequestURI)
			}

			if got := seen.URL.Query().Get("q"); got != "tanaka" {
				t.Errorf("query q is %q after removing the token, want tanaka", got)
			}
		})
	}
}

// checkResponse checks the status, the challenge and the body: the actor's name on
// success and a JSON error otherwise.
func checkResponse(t *testing.T, rec *httptest.ResponseRecorder, status int,
	challenge, actor string) {
	t.Helper()

	if rec.Code != status {
		t.Fatalf("status %d, want %d; body %s", rec.Code, status, rec.Body)
	}

	if got := rec.Header().Get("WWW-Authenticate"); !strings.Contains(got, challenge) {
		t.Errorf("WWW-Authenticate %q, want it to contain %q", got, challenge)
	}

	if status == 200 {
		if rec.Body.String() != actor {
			t.Errorf("handler saw token of %q, want %q", rec.Body, actor)
		}

		return
	}

	if got := rec.Header().Get("Content-Type"); got != "application/json" {
		t.Errorf("content type %q, want application/json", got)
	}

	var body struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error == "" {
		t.Errorf("body %q is not {\"error\": ...}: %v", rec.Body, err)
	}
}

func TestFromContext_Missing(t *testing.T) {
	req := httptest.NewRequest(http.MethodGet, "/", nil)

	if tok, ok := FromContext(req.Context()); ok {
		t.Errorf("FromContext found %+v in a bare context", tok)
	}
}
