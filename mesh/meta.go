package mesh

import (
	"encoding/binary"
	"fmt"

	"github.com/hashicorp/memberlist"
)

// Meta is the metadata a node advertises to every gossip member.
type Meta struct {
	Name     string   // boutique name, for logs and the staff page
	Brand    string   // brand the boutique sells
	Group    string   // group that owns the brand
	Region   string   // region, used to spread Raft voters
	Scopes   []string // replication scopes the node takes part in, e.g. "brand:<name>"
	PeerID   string   // libp2p peer ID
	P2PAddrs []string // libp2p multiaddrs the node listens on
	HTTPAddr string   // host:port of the node's HTTP API
	// Location is the boutique's position, "LAT,LON" in decimal degrees, or empty. Sister
	// boutiques use it to find the ones nearby.
	Location string
}

// metaVersion is the first byte of encoded metadata, so the format can change later.
// Version 2 added Location after the lists; decodeMeta still reads version 1.
const (
	metaVersion   = 2
	metaVersionV1 = 1
)

// metaFlagLeaving marks metadata that a member sends just before it leaves, so the other
// members can tell a graceful leave from a failure.
const metaFlagLeaving = 1

// encodeMeta encodes meta as a version byte, a flags byte, six length-prefixed strings,
// two counted lists of length-prefixed strings and the location as a length-prefixed
// string. Lengths are uvarints.
func encodeMeta(meta Meta, leaving bool) ([]byte, error) {
	var flags byte
	if leaving {
		flags |= metaFlagLeaving
	}

	buf := []byte{metaVersion, flags}
	for _, field := range []string{meta.Name, meta.Brand, meta.Group, meta.Region,
		meta.PeerID, meta.HTTPAddr} {
		buf = appendString(buf, field)
	}
	buf = appendStrings(buf, meta.Scopes)
	buf = appendStrings(buf, meta.P2PAddrs)
	buf = appendString(buf, meta.Location)

	if len(buf) > memberlist.MetaMaxSize {
		return nil, fmt.Errorf("%w: %d bytes encoded, limit %d",
			ErrMetaTooLarge, len(buf), memberlist.MetaMaxSize)
	}
	return buf, nil
}

func appendString(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

func appendStrings(buf []byte, list []string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(list)))
	for _, s := range list {
		buf = appendString(buf, s)
	}
	return buf
}

// decodeMeta reverses encodeMeta and reports whether the member is leaving.
func decodeMeta(data []byte) (Meta, bool, error) {
	if len(data) < 2 {
		return Meta{}, false, fmt.Errorf("%w: %d bytes, expected at least 2",
			ErrInvalidMeta, len(data))
	}
	version := data[0]
	if version != metaVersion && version != metaVersionV1 {
		return Meta{}, false, fmt.Errorf("%w: version %d, expected %d or %d",
			ErrInvalidMeta, version, metaVersionV1, metaVersion)
	}

	leaving := data[1]&metaFlagLeaving != 0
	reader := metaReader{data: data[2:]}
	var meta Meta
	for _, field := range []*string{&meta.Name, &meta.Brand, &meta.Group, &meta.Region,
		&meta.PeerID, &meta.HTTPAddr} {
		*field = reader.readString()
	}
	meta.Scopes = reader.readStrings()
	meta.P2PAddrs = reader.readStrings()
	if version >= 2 {
		meta.Location = reader.readString()
	}

	if reader.err != nil {
		return Meta{}, false, fmt.Errorf("%w: %w", ErrInvalidMeta, reader.err)
	}
	if len(reader.data) != 0 {
		return Meta{}, false, fmt.Errorf("%w: %d trailing bytes", ErrInvalidMeta,
			len(reader.data))
	}
	return meta, leaving, nil
}

// metaReader reads length-prefixed fields and keeps the first error, so decodeMeta can
// check once at the end.
type metaReader struct {
	data []byte
	err  error
}

func (r *metaReader) readUvarint() uint64 {
	if r.err != nil {
		return 0
	}
	value, n := binary.Uvarint(r.data)
	if n <= 0 {
		r.err = fmt.Errorf("truncated or overlong length at byte %d", len(r.data))
		return 0
	}
	r.data = r.data[n:]
	return value
}

func (r *metaReader) readString() string {
	length := r.readUvarint()
	if r.err != nil {
		return ""
	}
	if length > uint64(len(r.data)) {
		r.err = fmt.Errorf("string of %d bytes, only %d left", length, len(r.data))
		return ""
	}
	s := string(r.data[:length])
	r.data = r.data[length:]
	return s
}

func (r *metaReader) readStrings() []string {
	count := r.readUvarint()
	if r.err != nil || count == 0 {
		return nil
	}
	// Each string takes at least one byte, which bounds the allocation.
	if count > uint64(len(r.data)) {
		r.err = fmt.Errorf("list of %d strings, only %d bytes left", count, len(r.data))
		return nil
	}

	list := make([]string, 0, count)
	for range count {
		list = append(list, r.readString())
	}
	return list
}
