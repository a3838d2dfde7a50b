package mesh

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/pnet"
)

// MeshKeySize is the size in bytes of a libp2p private-network key.
const MeshKeySize = 32

// swarmKeyHeader is the first line of a libp2p swarm key file (version 1 PSK).
const swarmKeyHeader = "/key/swarm/psk/1.0.0/"

// GenerateMeshKey writes a new random mesh key to path in the libp2p swarm key format
// (header, "/base16/", 64 hex digits) with mode 0600 and returns it. It fails if path
// already exists, so an existing mesh is never re-keyed by accident.
func GenerateMeshKey(path string) (pnet.PSK, error) {
	key := make([]byte, MeshKeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("generate mesh key: %w", err)
	}

	text := swarmKeyHeader + "\n/base16/\n" + hex.EncodeToString(key) + "\n"
	if err := writeNewSecret(path, []byte(text)); err != nil {
		return nil, fmt.Errorf("write mesh key %s: %w", path, err)
	}
	return pnet.PSK(key), nil
}

// LoadMeshKey reads a libp2p swarm key file written by GenerateMeshKey or by other
// libp2p tools. It accepts the /base16/, /base64/ and /bin/ encodings.
func LoadMeshKey(path string) (pnet.PSK, error) {
	data, err := readSecret(path)
	if err != nil {
		return nil, fmt.Errorf("read mesh key %s: %w", path, err)
	}

	key, err := parseSwarmKey(data)
	if err != nil {
		return nil, fmt.Errorf("read mesh key %s: %w", path, err)
	}
	return key, nil
}

// parseSwarmKey decodes the three-part swarm key format: header line, encoding line, key.
func parseSwarmKey(data []byte) (pnet.PSK, error) {
	reader := bufio.NewReader(bytes.NewReader(data))
	header, err := readKeyLine(reader)
	if err != nil || header != swarmKeyHeader {
		return nil, fmt.Errorf("%w: first line must be %q", ErrInvalidMeshKey, swarmKeyHeader)
	}

	encoding, err := readKeyLine(reader)
	if err != nil {
		return nil, fmt.Errorf("%w: missing encoding line", ErrInvalidMeshKey)
	}

	rest, err := io.ReadAll(reader)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidMeshKey, err)
	}
	key, err := decodeKeyBody(encoding, rest)
	if err != nil {
		return nil, err
	}
	if len(key) != MeshKeySize {
		return nil, fmt.Errorf("%w: key is %d bytes, expected %d",
			ErrInvalidMeshKey, len(key), MeshKeySize)
	}
	return pnet.PSK(key), nil
}

func readKeyLine(reader *bufio.Reader) (string, error) {
	line, err := reader.ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func decodeKeyBody(encoding string, body []byte) ([]byte, error) {
	switch encoding {
	case "/base16/":
		key, err := hex.DecodeString(string(bytes.TrimSpace(body)))
		if err != nil {
			return nil, fmt.Errorf("%w: base16 body: %w", ErrInvalidMeshKey, err)
		}
		return key, nil
	case "/base64/":
		key, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(body)))
		if err != nil {
			return nil, fmt.Errorf("%w: base64 body: %w", ErrInvalidMeshKey, err)
		}
		return key, nil
	case "/bin/":
		// Files written by shell tools often end with a newline after the raw key.
		if len(body) == MeshKeySize+1 && body[MeshKeySize] == '\n' {
			body = body[:MeshKeySize]
		}
		return body, nil
	default:
		return nil, fmt.Errorf("%w: unknown encoding %q, expected /base16/, /base64/ or /bin/",
			ErrInvalidMeshKey, encoding)
	}
}

// LoadOrCreateIdentity returns the node's Ed25519 identity stored at path, creating it
// with mode 0600 (and its folder with mode 0700) if the file does not exist. The peer ID
// derives from this key, so losing the file gives the node a new identity.
func LoadOrCreateIdentity(path string) (crypto.PrivKey, error) {
	data, err := readSecret(path)
	if err == nil {
		return decodeIdentity(path, data)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read identity %s: %w", path, err)
	}

	key, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate identity: %w", err)
	}
	data, err = crypto.MarshalPrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("encode identity: %w", err)
	}
	if err := writeNewSecret(path, data); err != nil {
		return nil, fmt.Errorf("write identity %s: %w", path, err)
	}
	return key, nil
}

func decodeIdentity(path string, data []byte) (crypto.PrivKey, error) {
	key, err := crypto.UnmarshalPrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("decode identity %s: %w", path, err)
	}
	if key.Type() != crypto.Ed25519 {
		return nil, fmt.Errorf("decode identity %s: key type is %s, expected Ed25519",
			path, key.Type())
	}
	return key, nil
}

// readSecret reads a key file and rejects it if group or other users have any access.
func readSecret(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%w: mode is %04o, run chmod 600 %s",
			ErrKeyFileMode, info.Mode().Perm(), path)
	}
	return os.ReadFile(path)
}

// writeNewSecret creates path with mode 0600 and fails if it already exists.
func writeNewSecret(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}

	file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := file.Write(data); err != nil {
		file.Close()
		os.Remove(path)
		return err
	}
	if err := file.Sync(); err != nil {
		file.Close()
		os.Remove(path)
		return err
	}
	return file.Close()
}
