package profile

import (
	"fmt"
	"slices"
	"strings"
)

// MaxRequestKeys is the number of request keys a client keeps. A retry that arrives after
// this many other writes to her is recorded again.
const MaxRequestKeys = 100

// maxRequestKeyBytes bounds one stored key, a hash in hexadecimal.
const maxRequestKeyBytes = 64

// RequestBody returns the body hash recorded with a request key, and whether a write with
// that key was recorded for her. An entry is "KEY:BODY".
func (c *Customer) RequestBody(key string) (string, bool) {
	for _, e := range c.RequestKeys {
		if k, body, ok := strings.Cut(e, ":"); ok && k == key {
			return body, true
		}
	}
	return "", false
}

// AddRequest records the entry "KEY:BODY" of an applied write, dropping the oldest entry
// past MaxRequestKeys.
func (c *Customer) AddRequest(entry string) {
	c.RequestKeys = append(c.RequestKeys, entry)
	if extra := len(c.RequestKeys) - MaxRequestKeys; extra > 0 {
		c.RequestKeys = slices.Delete(c.RequestKeys, 0, extra)
	}
}

func validateRequestKeys(keys []string) error {
	if len(keys) > MaxRequestKeys {
		return fmt.Errorf("%w: %d request keys, the maximum is %d", ErrInvalid, len(keys),
			MaxRequestKeys)
	}
	for i, k := range keys {
		if k == "" || len(k) > maxRequestKeyBytes {
			return fmt.Errorf("%w: request_keys[%d] must be 1 to %d bytes", ErrInvalid, i,
				maxRequestKeyBytes)
		}
	}
	return nil
}
