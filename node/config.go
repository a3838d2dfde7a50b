package node

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/omotenashi/omotenashi/internal/assetpath"
	"github.com/omotenashi/omotenashi/node/nearby"
	"github.com/omotenashi/omotenashi/vision"
	"github.com/omotenashi/omotenashi/vision/decide"
)

// Config sets up one boutique node. DefaultConfig fills every field with a value that works
// on a laptop; Validate checks it.
type Config struct {
	// DataDir holds the node's Pebble database and its first manager token (admin-token).
	DataDir string
	// Listen is the HTTP address of the API and staff page. Default 127.0.0.1:8080.
	Listen string
	// ModelDir is the folder of the dlib models. Default: assets/dlib under the working
	// folder, then beside the executable, where `make` puts them.
	ModelDir string
	// StoreName is the boutique's name, recorded with each visit. Default "boutique".
	StoreName string
	// Camera is a frame source: a folder of images, an image, a video file, an rtsp:// or an
	// http:// MJPEG URL. Empty means no camera; photos can still be posted to the API.
	Camera string
	// CameraFPS is the rate a folder or video is played at, in frames per second. Default 2.
	CameraFPS float64
	// CameraLoop plays a folder again from the start when it ends. Default false.
	CameraLoop bool
	// Engine is the descriptor the node recognizes with: EngineONNX (default) or EngineDlib.
	// Enrollment stores the descriptors of every engine the node runs, and a gallery only
	// compares descriptors of one engine and version.
	Engine string
	// ONNXModelDir is the folder of the ONNX engine's models. Default: assets/onnx, found
	// like ModelDir.
	ONNXModelDir string
	// ONNXLibrary is the path of ONNX Runtime's shared library. Default:
	// assets/onnxruntime/libonnxruntime.so.1, found like ModelDir.
	ONNXLibrary string
	// Thresholds decide between match, ambiguous and unknown, in the distances of Engine.
	// Default: ThresholdsFor(Engine).
	Thresholds decide.Thresholds
	// QuietPeriod is how long after an alert for a client another alert for her is held
	// back, so one visit is one alert. Default 10 minutes.
	QuietPeriod time.Duration
	// ConfirmWindow is how long an undecided arrival's descriptor is kept in memory for
	// staff to confirm. Default 15 minutes.
	ConfirmWindow time.Duration
	// Limits bounds every image the node decodes.
	Limits vision.Limits
	// MaxPhotos is the largest number of photos one enrollment accepts. Default 8.
	MaxPhotos int
	// Workers is the number of go-face recognizers. Default: the number of CPUs.
	Workers int
	// DetectSide is the longer side, in pixels, a frame is shrunk to for face detection.
	// Zero keeps the recognizer's default of 2048.
	DetectSide int
	// Logger receives the node's logs. Default slog.Default().
	Logger *slog.Logger

	// Mesh settings. With no MeshKeyFile the node runs alone and replicates nothing.

	// Name is the node's name in the mesh, unique among boutiques. Default: StoreName.
	Name string
	// Brand and Group are the brand the boutique sells and the group that owns the brand:
	// clients with brand consent replicate to the brand's boutiques, with group consent to
	// the group's. Defaults "brand" and "group".
	Brand, Group string
	// Region is where the boutique is, such as "eu" or "asia"; the leader spreads voters
	// over regions. Default "local".
	Region string
	// MeshKeyFile is the private-network key shared by the group's boutiques
	// (`omotenashi mesh keygen FILE`). A peer without it cannot connect.
	MeshKeyFile string
	// Gossip is the HOST:PORT memberlist listens on. Default 127.0.0.1:7946.
	Gossip string
	// P2PAddrs are the libp2p listen multiaddrs. Default /ip4/127.0.0.1/tcp/4001.
	P2PAddrs []string
	// Join lists gossip addresses of nodes already in the mesh.
	Join []string
	// Profile is the timing profile of gossip and Raft: "wan" (default) or "loopback" for
	// nodes on one machine.
	Profile string
	// Voters is the number of Raft voters per group, 3 or 5. Default 3.
	Voters int
	// DeadAfter is how long a member must be gone before its groups remove it. Default 5
	// minutes.
	DeadAfter time.Duration
	// Location is the boutique's position, "LAT,LON" in decimal degrees. With it, the node
	// suggests to clients with group consent the stock of sister brands' boutiques within
	// NearbyKm, and publishes its position in gossip. Empty: no sister suggestions.
	Location string
	// NearbyKm is how far a sister boutique may be to count as nearby. Default 5.
	NearbyKm float64
	// NearbyRefresh is how often the node fetches the stock of sister boutiques nearby.
	// Default 1 minute; a list older than three intervals is dropped.
	NearbyRefresh time.Duration
	// WANFile is a JSON file of simulated latency, jitter, loss and partitions between
	// regions (see mesh.WANConfig), applied to the node's mesh traffic and re-read when it
	// changes. For testnets on one machine. Empty: no simulation and no overhead.
	WANFile string

	// MaxEventStreams is the number of /v1/events streams the node serves at once. A stream
	// requested over the cap gets 503 with a Retry-After header. Zero or less means 64.
	MaxEventStreams int
}

// DefaultConfig returns the configuration of a node keeping its data in dataDir.
func DefaultConfig(dataDir string) Config {
	return Config{
		DataDir:       dataDir,
		Listen:        "127.0.0.1:8080",
		ModelDir:      FindModels(),
		StoreName:     "boutique",
		CameraFPS:     2,
		Engine:        EngineONNX,
		Thresholds:    ThresholdsFor(EngineONNX),
		QuietPeriod:   10 * time.Minute,
		ConfirmWindow: 15 * time.Minute,
		Limits:        vision.DefaultLimits(),
		MaxPhotos:     8,
		Logger:        slog.Default(),
		Brand:         "brand",
		Group:         "group",
		Region:        "local",
		Gossip:        "127.0.0.1:7946",
		P2PAddrs:      []string{"/ip4/127.0.0.1/tcp/4001"},
		Profile:       "wan",
		Voters:        3,
		DeadAfter:     5 * time.Minute,
		NearbyKm:      5,
		NearbyRefresh: time.Minute,
	}
}

// Validate returns an error naming the first field that cannot work.
func (c Config) Validate() error {
	if c.DataDir == "" {
		return errors.New("data folder not set: pass --data DIR")
	}
	if c.ModelDir == "" {
		return errors.New("dlib models not found: run `make assets` or pass --models DIR")
	}
	if c.CameraFPS <= 0 || c.CameraFPS > 60 {
		return fmt.Errorf("camera rate %.2f fps out of range: want more than 0, at most 60",
			c.CameraFPS)
	}
	if err := c.Thresholds.Validate(); err != nil {
		return fmt.Errorf("thresholds: %w", err)
	}
	if c.QuietPeriod < 0 || c.ConfirmWindow <= 0 {
		return errors.New("quiet period must be zero or more, confirm window more than zero")
	}
	if c.Limits.MaxBytes <= 0 || c.Limits.MaxPixels <= 0 {
		return errors.New("image limits must be more than zero")
	}
	if c.MaxPhotos <= 0 {
		return errors.New("max photos per enrollment must be more than zero")
	}
	if c.MeshKeyFile != "" {
		if c.Brand == "" || c.Group == "" || c.Region == "" {
			return errors.New("a mesh node needs --brand, --group and --region")
		}
		if c.Profile != "wan" && c.Profile != "loopback" {
			return fmt.Errorf("profile %q: want wan or loopback", c.Profile)
		}
	}
	if c.Location != "" {
		if _, err := nearby.ParsePoint(c.Location); err != nil {
			return err
		}
	}
	if !(c.NearbyKm > 0) || c.NearbyRefresh < time.Second {
		return errors.New("nearby distance must be more than zero and refresh at least 1s")
	}
	return nil
}

// FindModels returns the folder of the dlib models that `make assets` unpacked, found under
// the working folder or beside the executable, or "" when there is none.
func FindModels() string {
	return assetpath.Find("dlib", vision.ModelFiles[0])
}
