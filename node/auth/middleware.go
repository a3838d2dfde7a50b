package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
)

// QueryParameter is the URL query parameter that carries a token for clients that
// cannot set headers, such as the browser's EventSource.
const QueryParameter = "access_token"

// realm is the realm of the WWW-Authenticate challenges (RFC 6750).
const realm = `Bearer realm="omotenashi"`

// Require wraps next so that it runs only for requests with a valid token of role
// minRole or higher, and puts the token in the request context for FromContext. The
// token comes from "Authorization: Bearer <secret>"; a token in the access_token query
// parameter is rejected with 400, because URLs end up in logs. Failures get a JSON body
// {"error": "..."}. The status is 401 with a WWW-Authenticate challenge for a missing,
// malformed, unknown or revoked token, 403 for a role below minRole, and 500 when the
// token store cannot be read.
func Require(t *Tokens, minRole Role, next http.Handler) http.Handler {
	return require(t, minRole, false, next)
}

// RequireForStream is Require for an event stream, which browsers open with EventSource
// and cannot give a header: it also takes the token from the access_token query
// parameter, and removes it from the request URL before calling next.
//
// NOTE: a token in the query string can still reach proxy and server access logs that
// record the URL before this runs.
func RequireForStream(t *Tokens, minRole Role, next http.Handler) http.Handler {
	return require(t, minRole, true, next)
}

func require(t *Tokens, minRole Role, allowQuery bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowQuery && r.URL.Query().Has(QueryParameter) {
			writeError(w, http.StatusBadRequest, "a token in the URL is accepted only by "+
				"the event stream: send it in the Authorization header",
				realm+`, error="invalid_request"`)
			return
		}
		secret, fail := bearerSecret(r)
		if fail != nil {
			writeError(w, fail.status, fail.message, fail.challenge)
			return
		}

		tok, err := t.Verify(secret)
		if errors.Is(err, ErrUnauthorized) {
			writeError(w, http.StatusUnauthorized, "invalid or revoked token",
				realm+`, error="invalid_token"`)
			return
		}

		if err != nil {
			slog.Error("token verification failed", "component", "auth", "error", err)
			writeError(w, http.StatusInternalServerError, "token verification failed", "")
			return
		}

		if !tok.Role.Allows(minRole) {
			message := fmt.Sprintf("this request needs role %s, and the token has role %s",
				minRole, tok.Role)
			writeError(w, http.StatusForbidden, message, realm+`, error="insufficient_scope"`)
			return
		}

		next.ServeHTTP(w, withoutQueryToken(r.WithContext(WithToken(r.Context(), tok))))
	})
}

// failure is the rejection of a request without a usable secret: the HTTP status, the
// message for the body and the WWW-Authenticate challenge.
type failure struct {
	status    int
	message   string
	challenge string
}

// bearerSecret returns the secret of r, or a failure when it has none or a malformed
// one.
func bearerSecret(r *http.Request) (string, *failure) {
	header := r.Header.Get("Authorization")
	query := r.URL.Query().Get(QueryParameter)

	if header != "" && query != "" {
		return "", &failure{http.StatusBadRequest, "send the token in the Authorization " +
			"header or the access_token parameter, not both", realm + `, error="invalid_request"`}
	}

	if query != "" {
		return query, nil
	}

	if header == "" {
		return "", &failure{http.StatusUnauthorized, "missing bearer token", realm}
	}

	scheme, secret, found := strings.Cut(header, " ")
	secret = strings.TrimSpace(secret)
	if !found || !strings.EqualFold(scheme, "Bearer") || secret == "" {
		message := `malformed Authorization header, expected "Bearer <token>"`
		return "", &failure{http.StatusUnauthorized, message, realm + `, error="invalid_token"`}
	}

	return secret, nil
}

// withoutQueryToken removes the access_token parameter from the URL of r, so that
// handlers and their logs do not see the secret.
func withoutQueryToken(r *http.Request) *http.Request {
	query := r.URL.Query()
	if !query.Has(QueryParameter) {
		return r
	}

	query.Del(QueryParameter)
	u := *r.URL
	u.RawQuery = query.Encode()
	r.URL = &u
	r.RequestURI = u.RequestURI()

	return r
}

func writeError(w http.ResponseWriter, status int, message, wwwAuthenticate string) {
	if wwwAuthenticate != "" {
		w.Header().Set("WWW-Authenticate", wwwAuthenticate)
	}

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": message})
}
