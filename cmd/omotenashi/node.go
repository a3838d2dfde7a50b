package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/omotenashi/omotenashi/node"
)

// nodeFlags declares the flags that configure a node on fs, with cfg's values as defaults.
func nodeFlags(fs *flag.FlagSet, cfg *node.Config) {
	fs.StringVar(&cfg.DataDir, "data", cfg.DataDir, "folder of the node's database and tokens")
	fs.StringVar(&cfg.Listen, "listen", cfg.Listen, "HTTP address of the API and staff page")
	fs.StringVar(&cfg.ModelDir, "models", cfg.ModelDir, "folder of the dlib models")
	fs.StringVar(&cfg.StoreName, "store", cfg.StoreName, "boutique name recorded with visits")
	fs.StringVar(&cfg.Camera, "camera", cfg.Camera,
		"frame source: image folder, image, video file, rtsp:// or http:// MJPEG URL")
	fs.Float64Var(&cfg.CameraFPS, "fps", cfg.CameraFPS, "frames per second played from the camera")
	fs.BoolVar(&cfg.CameraLoop, "loop", cfg.CameraLoop, "play a camera folder again when it ends")
	fs.DurationVar(&cfg.QuietPeriod, "quiet", cfg.QuietPeriod,
		"time after an alert for a client during which she is not announced again")
	fs.IntVar(&cfg.Workers, "workers", cfg.Workers, "go-face recognizers (0: one per CPU)")
	fs.StringVar(&cfg.Engine, "engine", cfg.Engine, "recognition engine: "+node.EngineONNX+
		" or "+node.EngineDlib)
	fs.StringVar(&cfg.ONNXModelDir, "onnx-models", cfg.ONNXModelDir,
		"folder of the ONNX engine's models (default assets/onnx)")
	thresholdFlags(fs, cfg)
	meshFlags(fs, cfg)
}

// meshFlags declares the flags that put a node in a mesh of boutiques.
func meshFlags(fs *flag.FlagSet, cfg *node.Config) {
	fs.StringVar(&cfg.Name, "name", cfg.Name, "node name in the mesh (default: --store)")
	fs.StringVar(&cfg.Brand, "brand", cfg.Brand, "brand the boutique sells")
	fs.StringVar(&cfg.Group, "group", cfg.Group, "group that owns the brand")
	fs.StringVar(&cfg.Region, "region", cfg.Region, "region of the boutique, such as eu or asia")
	fs.StringVar(&cfg.MeshKeyFile, "mesh-key", cfg.MeshKeyFile,
		"private-network key file of the mesh; without it the node runs alone")
	fs.StringVar(&cfg.Gossip, "gossip", cfg.Gossip, "HOST:PORT for gossip")
	p2p := stringList{values: &cfg.P2PAddrs}
	fs.Var(&p2p, "p2p", "libp2p listen multiaddr (repeatable; default /ip4/127.0.0.1/tcp/4001)")
	fs.Var(&stringList{values: &cfg.Join}, "join", "gossip HOST:PORT of a node in the mesh (repeatable)")
	fs.StringVar(&cfg.Profile, "profile", cfg.Profile,
		"timing of gossip and Raft: wan, or loopback for nodes on one machine")
	fs.StringVar(&cfg.Location, "location", cfg.Location, "where the boutique is, LAT,LON "+
		"in decimal degrees; clients with group consent are then shown the stock of "+
		"sister brands' boutiques nearby")
	fs.Float64Var(&cfg.NearbyKm, "nearby-km", cfg.NearbyKm,
		"how far a sister boutique may be to count as nearby, in km")
	fs.DurationVar(&cfg.NearbyRefresh, "nearby-refresh", cfg.NearbyRefresh,
		"how often to fetch the stock of sister boutiques nearby")
	fs.StringVar(&cfg.WANFile, "wan", cfg.WANFile, "JSON file of simulated one-way "+
		"latency, jitter, loss and partitions between regions, re-read when it changes "+
		"(testnets on one machine only)")
}

// stringList is a repeatable flag. The first use replaces the default.
type stringList struct {
	values *[]string
	set    bool
}

func (s *stringList) String() string {
	if s.values == nil {
		return ""
	}
	return strings.Join(*s.values, ",")
}

func (s *stringList) Set(v string) error {
	if !s.set {
		*s.values, s.set = nil, true
	}
	*s.values = append(*s.values, v)
	return nil
}

// parseNodeFlags parses args into cfg. Thresholds that no flag set take the defaults of
// the chosen engine, since each engine measures distance on its own scale.
func parseNodeFlags(fs *flag.FlagSet, cfg *node.Config, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	defaults := node.ThresholdsFor(cfg.Engine)
	if !set["match"] {
		cfg.Thresholds.Match = defaults.Match
	}
	if !set["candidate"] {
		cfg.Thresholds.Candidate = defaults.Candidate
	}
	if !set["margin"] {
		cfg.Thresholds.Margin = defaults.Margin
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	return nil
}

func thresholdFlags(fs *flag.FlagSet, cfg *node.Config) {
	onnx, dlib := node.ThresholdsFor(node.EngineONNX), node.ThresholdsFor(node.EngineDlib)
	fs.Func("match", fmt.Sprintf("largest distance greeted by name (default %.2f for %s, "+
		"%.2f for %s)", onnx.Match, node.EngineONNX, dlib.Match, node.EngineDlib),
		float32Setter(&cfg.Thresholds.Match))
	fs.Func("candidate", fmt.Sprintf("largest distance shown to staff as a candidate "+
		"(default %.2f, %.2f)", onnx.Candidate, dlib.Candidate),
		float32Setter(&cfg.Thresholds.Candidate))
	fs.Func("margin", fmt.Sprintf("smallest lead over the runner-up client for a match "+
		"(default %.2f, %.2f)", onnx.Margin, dlib.Margin), float32Setter(&cfg.Thresholds.Margin))
}

func float32Setter(dst *float32) func(string) error {
	return func(s string) error {
		var v float32
		if _, err := fmt.Sscan(s, &v); err != nil {
			return fmt.Errorf("want a number, got %q", s)
		}
		*dst = v
		return nil
	}
}

// runNode runs a node until interrupted.
func runNode(ctx context.Context, args []string, _ io.Writer) error {
	cfg := node.DefaultConfig("")
	fs := flag.NewFlagSet("node", flag.ContinueOnError)
	nodeFlags(fs, &cfg)
	if err := parseNodeFlags(fs, &cfg, args); err != nil {
		return err
	}

	n, err := node.Open(cfg)
	if err != nil {
		return err
	}
	defer n.Close()
	return n.Run(ctx)
}
