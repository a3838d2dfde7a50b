package node

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// requestKeyHeader is the header a client sets so that a write it sends twice, such as a
// retry after a timeout, is recorded once.
const requestKeyHeader = "Idempotency-Key"

// maxRequestKeyHeader is the longest Idempotency-Key accepted.
const maxRequestKeyHeader = 200

// requestCommandPrefix starts the id of a replicated command sent with a request key, so
// that every replica records the key with the change (see changeCustomer).
const requestCommandPrefix = "req-"

// errReplayed reports a write whose request key is already recorded for the client.
var errReplayed = errors.New("request already recorded")

// requestKey is a request's Idempotency-Key, hashed with the client and the kind of
// write, and the hash of its body. Both are empty for a request without the header.
type requestKey struct {
	key  string
	body string
}

// entry is the form kept in the client's profile.
func (k requestKey) entry() string { return k.key + ":" + k.body }

// commandID is the id of the replicated command of the request.
func (k requestKey) commandID() string { return requestCommandPrefix + k.key + "-" + k.body }

// keyFromCommandID returns the profile entry a command id made by commandID stands for.
func keyFromCommandID(id string) (string, bool) {
	rest, ok := strings.CutPrefix(id, requestCommandPrefix)
	if !ok {
		return "", false
	}
	key, body, ok := strings.Cut(rest, "-")
	if !ok {
		return "", false
	}
	return key + ":" + body, true
}

// readRequestKey returns the request key of r for client id and op. It reads the body to
// hash it and puts it back, so the handler reads it as usual.
func readRequestKey(r *http.Request, id, op string) (requestKey, error) {
	values := r.Header.Values(requestKeyHeader)
	if len(values) == 0 {
		return requestKey{}, nil
	}
	raw := values[0]
	if len(values) > 1 || raw == "" || len(raw) > maxRequestKeyHeader ||
		strings.IndexFunc(raw, notPrintableASCII) >= 0 {
		return requestKey{}, badRequest("give one %s of 1 to %d printable ASCII characters",
			requestKeyHeader, maxRequestKeyHeader)
	}

	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxJSONBytes))
	var maxBytes *http.MaxBytesError
	if errors.As(err, &maxBytes) {
		return requestKey{}, fmt.Errorf("%w: a JSON body may be at most %d KiB",
			errBodyTooLarge, maxJSONBytes>>10)
	}
	if err != nil {
		return requestKey{}, bodyReadError("JSON body", err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))

	keySum := sha256.Sum256([]byte(id + "\x00" + op + "\x00" + raw))
	bodySum := sha256.Sum256(body)
	return requestKey{key: hex.EncodeToString(keySum[:16]),
		body: hex.EncodeToString(bodySum[:8])}, nil
}

func notPrintableASCII(r rune) bool {
	return r < 0x20 || r > 0x7e
}

// beginRequest reads the request key of a write to the client of the path and responds
// to a replay itself: 200 "already recorded" for the same body, 422 for another body
// under the same key. It reports whether it wrote the response.
func (n *Node) beginRequest(w http.ResponseWriter, r *http.Request, op,
	action string) (requestKey, bool) {

	id := r.PathValue("id")
	key, err := readRequestKey(r, id, op)
	if err != nil {
		n.fail(w, r, err)
		return key, true
	}
	if key.key == "" {
		return key, false
	}
	c, err := n.store.Get(id)
	if err != nil {
		n.fail(w, r, err)
		return key, true
	}

	body, seen := c.RequestBody(key.key)
	switch {
	case !seen:
		return key, false
	case body == key.body:
		n.record(r, action, id, "replayed request, not recorded again")
		writeJSON(w, http.StatusOK, map[string]string{"id": id, "status": "already recorded"})
	default:
		writeError(w, http.StatusUnprocessableEntity, requestKeyHeader+
			" was already used for another request body: use a new key for a new request")
	}
	return key, true
}
