package main

import (
	"context"
	"flag"
	"fmt"
	"io"

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
	thresholdFlags(fs, cfg)
}

func thresholdFlags(fs *flag.FlagSet, cfg *node.Config) {
	fs.Func("match", fmt.Sprintf("largest distance greeted by name (default %.2f)",
		cfg.Thresholds.Match), float32Setter(&cfg.Thresholds.Match))
	fs.Func("candidate", fmt.Sprintf("largest distance shown to staff as a candidate "+
		"(default %.2f)", cfg.Thresholds.Candidate), float32Setter(&cfg.Thresholds.Candidate))
	fs.Func("margin", fmt.Sprintf("smallest gap between the best and runner-up client for a "+
		"match (default %.2f)", cfg.Thresholds.Margin), float32Setter(&cfg.Thresholds.Margin))
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
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}

	n, err := node.Open(cfg)
	if err != nil {
		return err
	}
	defer n.Close()
	return n.Run(ctx)
}
