package mesh

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/pnet"
)

func TestMeshKey_RoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "swarm.key")
	generated, err := GenerateMeshKey(path)
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	if len(generated) != MeshKeySize {
		t.Fatalf("generated key is %d bytes, expected %d", len(generated), MeshKeySize)
	}

	loaded, err := LoadMeshKey(path)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if !bytes.Equal(loaded, generated) {
		t.Errorf("loaded key %x, generated %x", []byte(loaded), []byte(generated))
	}

	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %04o, expected 0600", info.Mode().Perm())
	}
}

func TestMeshKey_ReadableByLibp2p(t *testing.T) {
	path := filepath.Join(t.TempDir(), "swarm.key")
	generated, err := GenerateMeshKey(path)
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()

	decoded, err := pnet.DecodeV1PSK(file)
	if err != nil {
		t.Fatalf("libp2p decode: %v", err)
	}
	if !bytes.Equal(decoded, generated) {
		t.Errorf("libp2p decoded %x, generated %x", []byte(decoded), []byte(generated))
	}
}

func TestMeshKey_GenerateKeepsExisting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "swarm.key")
	first, err := GenerateMeshKey(path)
	if err != nil {
		t.Fatalf("generate: %v", err)
	}

	_, err = GenerateMeshKey(path)
	if !errors.Is(err, fs.ErrExist) {
		t.Errorf("second generate: error %v, expected fs.ErrExist", err)
	}
	loaded, err := LoadMeshKey(path)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if !bytes.Equal(loaded, first) {
		t.Error("second generate changed the key file")
	}
}

func TestLoadMeshKey_Formats(t *testing.T) {
	key := bytes.Repeat([]byte{0xab}, MeshKeySize)
	header := "/key/swarm/psk/1.0.0/\n"
	cases := []struct {
		name    string
		content string
		mode    os.FileMode
		want    error // nil: the key must load and equal key
	}{
		{"base16", header + "/base16/\n" + hex.EncodeToString(key) + "\n", 0o600, nil},
		{"base16 CRLF", "/key/swarm/psk/1.0.0/\r\n/base16/\r\n" + hex.EncodeToString(key) +
			"\r\n", 0o600, nil},
		{"base64", header + "/base64/\n" + base64.StdEncoding.EncodeToString(key) + "\n",
			0o600, nil},
		{"bin", header + "/bin/\n" + string(key), 0o600, nil},
		{"bin with newline", header + "/bin/\n" + string(key) + "\n", 0o600, nil},
		{"wrong header", "/key/swarm/psk/2.0.0/\n/base16/\n" + hex.EncodeToString(key),
			0o600, ErrInvalidMeshKey},
		{"empty file", "", 0o600, ErrInvalidMeshKey},
		{"missing encoding", header, 0o600, ErrInvalidMeshKey},
		{"unknown encoding", header + "/base32/\n" + hex.EncodeToString(key), 0o600,
			ErrInvalidMeshKey},
		{"short key", header + "/base16/\n" + hex.EncodeToString(key[:16]), 0o600,
			ErrInvalidMeshKey},
		{"long key", header + "/base16/\n" + hex.EncodeToString(key) + "00", 0o600,
			ErrInvalidMeshKey},
		{"bad hex", header + "/base16/\n" + strings.Repeat("zz", MeshKeySize), 0o600,
			ErrInvalidMeshKey},
		{"group readable", header + "/base16/\n" + hex.EncodeToString(key), 0o640,
			ErrKeyFileMode},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "swarm.key")
			if err := os.WriteFile(path, []byte(tc.content), tc.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tc.mode); err != nil {
				t.Fatal(err)
			}

			loaded, err := LoadMeshKey(path)
			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("error %v, expected %v", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if !bytes.Equal(loaded, key) {
				t.Errorf("loaded %x, expected %x", []byte(loaded), key)
			}
		})
	}
}

func TestLoadMeshKey_Missing(t *testing.T) {
	_, err := LoadMeshKey(filepath.Join(t.TempDir(), "absent.key"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %v, expected fs.ErrNotExist", err)
	}
}

func TestIdentity_Persists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "identity.key")
	first, err := LoadOrCreateIdentity(path)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if first.Type() != crypto.Ed25519 {
		t.Errorf("key type %s, expected Ed25519", first.Type())
	}

	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("identity file mode %04o, expected 0600", info.Mode().Perm())
	}

	second, err := LoadOrCreateIdentity(path)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	firstID, _ := peer.IDFromPrivateKey(first)
	secondID, _ := peer.IDFromPrivateKey(second)
	if firstID != secondID {
		t.Errorf("peer ID changed from %s to %s after reload", firstID, secondID)
	}
}

func TestIdentity_Rejects(t *testing.T) {
	secpKey, _, err := crypto.GenerateKeyPair(crypto.Secp256k1, 0)
	if err != nil {
		t.Fatal(err)
	}
	otherType, err := crypto.MarshalPrivateKey(secpKey)
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name    string
		content []byte
		mode    os.FileMode
		want    error // nil: any error
	}{
		{"world readable", otherType, 0o644, ErrKeyFileMode},
		{"garbage", []byte("not a key"), 0o600, nil},
		{"secp256k1 key", otherType, 0o600, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "identity.key")
			if err := os.WriteFile(path, tc.content, tc.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tc.mode); err != nil {
				t.Fatal(err)
			}

			_, err := LoadOrCreateIdentity(path)
			if err == nil {
				t.Fatal("loaded an invalid identity without error")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("error %v, expected %v", err, tc.want)
			}
		})
	}
}
