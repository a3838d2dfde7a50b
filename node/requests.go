package node

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
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

// requestKey returns the stored form of the request's Idempotency-Key for client id and
// op, a hash, or "" when the header is absent.
func requestKey(r *http.Request, id, op string) (string, error) {
	raw := r.Header.Get(requestKeyHeader)
	if raw == "" {
		return "", nil
	}
	if len(raw) > maxRequestKeyHeader || strings.IndexFunc(raw, notPrintableASCII) >= 0 {
		return "", badRequest("%s must be 1 to %d printable ASCII characters",
			requestKeyHeader, maxRequestKeyHeader)
	}
	sum := sha256.Sum256([]byte(id + "\x00" + op + "\x00" + raw))
	return hex.EncodeToString(sum[:16]), nil
}

func notPrintableASCII(r rune) bool {
	return r < 0x20 || r > 0x7e
}

// writeRequest applies the change of a request to the client of its path, once per
// Idempotency-Key when the request has one.
func (n *Node) writeRequest(r *http.Request, op string, payload any) error {
	id := r.PathValue("id")
	key, err := requestKey(r, id, op)
	if err != nil {
		return err
	}
	return n.writeOnce(r, id, op, payload, key)
}
