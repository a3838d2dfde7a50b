package profile

import (
	"fmt"
	"slices"
)

// MaxRequestKeys is the number of request keys a client keeps. A retry that arrives after
// this many other writes to her is recorded again.
const MaxRequestKeys = 100

// maxRequestKeyBytes bounds one stored key, a hash in hexadecimal.
const maxRequestKeyBytes = 64

// HasRequest reports whether a write with request key was already recorded for her.
func (c *Customer) HasRequest(key string) bool {
	return slices.Contains(c.RequestKeys, key)
}

// AddRequest records that the write with request key was applied, dropping the oldest
// key past MaxRequestKeys.
func (c *Customer) AddRequest(key string) {
	c.RequestKeys = append(c.RequestKeys, key)
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
