package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/omotenashi/omotenashi/node"
	"github.com/omotenashi/omotenashi/vision"
	"github.com/omotenashi/omotenashi/vision/calibrate"
)

// runCalibrate computes a descriptor for each labelled photo of a folder and prints the
// distance distributions and recommended thresholds. It runs the recognizer itself rather
// than asking a node, since it reads a folder on this machine.
func runCalibrate(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("calibrate", flag.ContinueOnError)
	models := fs.String("models", node.FindModels(), "folder of the dlib models")
	labels := fs.String("labels", "", "labels file (default DIR/labels.tsv)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: omotenashi calibrate [--labels FILE] DIR")
	}
	dir := fs.Arg(0)
	if *labels == "" {
		*labels = filepath.Join(dir, "labels.tsv")
	}

	rows, err := calibrate.ReadLabels(*labels)
	if err != nil {
		return err
	}
	rec, err := vision.NewRecognizer(vision.DefaultConfig(*models))
	if err != nil {
		return err
	}
	defer rec.Close()

	samples := describeLabelled(ctx, rec, dir, rows)
	report, err := calibrate.Calibrate(samples)
	if err != nil {
		return err
	}
	return report.WriteText(stdout)
}

// describeLabelled returns one sample per face of each labelled photo that shows exactly
// the one face its label promises; other photos are logged and left out.
func describeLabelled(ctx context.Context, rec *vision.Recognizer, dir string,
	rows []calibrate.Label) []calibrate.Sample {

	var samples []calibrate.Sample
	for _, row := range rows {
		if !row.Labelled() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, row.File))
		if err != nil {
			slog.Warn("photo left out", "file", row.File, "error", err)
			continue
		}
		photo, err := rec.FacesInPhoto(ctx, data, vision.DefaultLimits(), vision.Thorough)
		if err != nil || len(photo.Faces) != 1 {
			slog.Warn("photo left out: want one face", "file", row.File,
				"faces", len(photo.Faces), "error", err)
			continue
		}
		samples = append(samples, calibrate.Sample{
			File: row.File, Person: row.Person, Vector: photo.Faces[0].Descriptor,
		})
	}
	return samples
}
