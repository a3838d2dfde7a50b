package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/omotenashi/omotenashi/node"
)

// runStatus prints a summary of a running node's status, or with --json its response.
func runStatus(_ context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	connect := clientFlags(fs)
	asJSON := fs.Bool("json", false, "print the node's JSON response instead of a summary")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := connect()
	if err != nil {
		return err
	}

	return show(c, "/v1/status", "status", *asJSON, stdout, writeStatus)
}

// writeStatus prints one line per part of the node's status.
func writeStatus(w io.Writer, st node.Status) error {
	camera := "none"
	if st.Camera != "" {
		camera = fmt.Sprintf("%s (%s)", st.Camera, st.CameraState)
	}

	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "store\t%s\n", st.Store)
	fmt.Fprintf(tw, "engine\t%s, %d workers\n", st.Engine, st.Workers)
	fmt.Fprintf(tw, "clients\t%d recognizable, %d descriptors\n", st.Customers,
		st.Descriptors)
	if st.NeedPhotos > 0 {
		fmt.Fprintf(tw, "need photos\t%d clients have no descriptor of the engine\n",
			st.NeedPhotos)
	}
	fmt.Fprintf(tw, "thresholds\tmatch %.2f, candidate %.2f, margin %.2f\n",
		st.Thresholds.Match, st.Thresholds.Candidate, st.Thresholds.Margin)
	fmt.Fprintf(tw, "camera\t%s\n", camera)
	fmt.Fprintf(tw, "event streams\t%d\n", st.Subscribers)
	return tw.Flush()
}
