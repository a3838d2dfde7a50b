package replicate

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// Key layout in the shared Pebble database, per group:
//
//	raft/<group>/log/<index, 8 bytes big-endian>   raft log entries
//	raft/<group>/stable/<key>                      raft stable store (term, vote)
//	rep/<group>/applied                            last applied index, 8 bytes big-endian
//	rep/<group>/ids/<command id>                   outcome and time of each recorded command
//	rep/<group>/idsbytime/<stamp, 8 bytes><id>     index of the ids by Command.At (stampOf)
//	rep/<group>/replay                             high-water time and replay horizon, stamps
//	rep/<group>/forgot                             index of the last applied forget
//	rep/<group>/purged                             snapshot index of the last purge
//	rep/<group>/restoring                          index of a snapshot restore not yet finished
//	outbox/<group>/<seq, 8 bytes big-endian>       commands waiting for the leader

func logPrefix(group string) []byte     { return []byte("raft/" + group + "/log/") }
func stablePrefix(group string) []byte  { return []byte("raft/" + group + "/stable/") }
func idsPrefix(group string) []byte     { return []byte("rep/" + group + "/ids/") }
func idTimesPrefix(group string) []byte { return []byte("rep/" + group + "/idsbytime/") }
func replayKey(group string) []byte     { return []byte("rep/" + group + "/replay") }
func outboxPrefix(group string) []byte  { return []byte("outbox/" + group + "/") }
func appliedKey(group string) []byte    { return []byte("rep/" + group + "/applied") }
func forgotKey(group string) []byte     { return []byte("rep/" + group + "/forgot") }
func purgedKey(group string) []byte     { return []byte("rep/" + group + "/purged") }
func restoringKey(group string) []byte  { return []byte("rep/" + group + "/restoring") }

func idKey(group, id string) []byte {
	return append(idsPrefix(group), id...)
}

func idTimeKey(group string, stamp uint64, id string) []byte {
	return append(appendUint64(idTimesPrefix(group), stamp), id...)
}

// appendUint64 returns prefix followed by n in big-endian order, so keys sort by n.
func appendUint64(prefix []byte, n uint64) []byte {
	key := make([]byte, len(prefix), len(prefix)+8)
	copy(key, prefix)

	return binary.BigEndian.AppendUint64(key, n)
}

// prefixEnd returns the smallest key greater than every key that starts with prefix.
func prefixEnd(prefix []byte) []byte {
	end := append([]byte(nil), prefix...)
	for i := len(end) - 1; i >= 0; i-- {
		end[i]++
		if end[i] != 0 {
			return end[:i+1]
		}
	}

	return nil
}

// validateGroupName rejects names that would break the key layout or the snapshot folder.
func validateGroupName(name string) error {
	switch {
	case name == "":
		return errors.New("invalid group name: empty")
	case name == "." || name == "..":
		return fmt.Errorf("invalid group name %q", name)
	case strings.ContainsAny(name, "/\\\x00"):
		return fmt.Errorf("invalid group name %q: contains a slash or NUL", name)
	}

	return nil
}
