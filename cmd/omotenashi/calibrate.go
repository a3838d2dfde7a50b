package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/omotenashi/omotenashi/node"
	"github.com/omotenashi/omotenashi/vision"
	"github.com/omotenashi/omotenashi/vision/calibrate"
	"github.com/omotenashi/omotenashi/vision/onnx"
)

// runCalibrate computes each engine's descriptor for every labelled photo of a folder,
// prints both engines' distance distributions and recommended thresholds, and recommends
// the engine that separates the people better. It runs the engines itself rather than
// asking a node, since it reads a folder on this machine.
func runCalibrate(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("calibrate", flag.ContinueOnError)
	models := fs.String("models", node.FindModels(), "folder of the dlib models")
	onnxModels := fs.String("onnx-models", onnx.FindModels(), "folder of the ONNX engine's models")
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
	eng, err := onnx.Open(onnx.Config{ModelDir: *onnxModels})
	if err != nil {
		return fmt.Errorf("load the ONNX engine: %w", err)
	}
	defer eng.Close()

	samples := describeLabelled(ctx, rec, eng, dir, rows)
	return writeCalibration(stdout, samples)
}

// describeLabelled returns, per engine, one sample for each labelled photo that shows
// exactly the one face its label promises. Other photos are logged and left out.
func describeLabelled(ctx context.Context, rec *vision.Recognizer, eng *onnx.Engine,
	dir string, rows []calibrate.Label) map[string][]calibrate.Sample {

	samples := map[string][]calibrate.Sample{}
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
		decoded, err := vision.Decode(data, vision.DefaultLimits())
		if err != nil {
			slog.Warn("photo left out", "file", row.File, "error", err)
			continue
		}
		described, err := eng.Describe(ctx, decoded.Image, photo.Faces)
		if err != nil {
			slog.Warn("photo left out", "file", row.File, "error", err)
			continue
		}

		samples[node.EngineDlib] = append(samples[node.EngineDlib], calibrate.Sample{
			File: row.File, Person: row.Person, Vector: photo.Faces[0].Descriptor})
		samples[node.EngineONNX] = append(samples[node.EngineONNX], calibrate.Sample{
			File: row.File, Person: row.Person, Vector: described[0].Vector})
	}
	return samples
}

// writeCalibration prints each engine's report, then the two side by side and the engine
// with the larger AUC as the recommendation.
func writeCalibration(w io.Writer, samples map[string][]calibrate.Sample) error {
	engines := []string{node.EngineONNX, node.EngineDlib}
	reports := map[string]calibrate.Report{}
	for _, name := range engines {
		r, err := calibrate.CalibrateWith(samples[name], node.ThresholdsFor(name))
		if err != nil {
			return fmt.Errorf("calibrate %s: %w", name, err)
		}
		reports[name] = r
		fmt.Fprintf(w, "== engine %s ==\n", name)
		if err := r.WriteText(w); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}

	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "engine\tAUC\tEER\tFMR at 90% genuine\trank-1\tmatch\tcandidate\tmargin")
	best := engines[0]
	for _, name := range engines {
		r := reports[name]
		fmt.Fprintf(tw, "%s\t%.3f\t%.1f%%\t%.1f%%\t%d/%d\t%.2f\t%.2f\t%.2f\n", name, r.AUC,
			100*r.EER, 100*r.Accept90FMR, r.Rank1Correct, r.Rank1Probes,
			r.Recommended.Match, r.Recommended.Candidate, r.Recommended.Margin)
		if r.AUC > reports[best].AUC {
			best = name
		}
	}
	tw.Flush()
	_, err := fmt.Fprintf(w, "\nrecommended engine: %s (larger AUC); run nodes with "+
		"--engine %s and the thresholds above\n", best, best)
	return err
}
