package calibrate

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Unlabelled is the person column of a labels file for a photo whose people are not named.
const Unlabelled = "-"

// ErrMalformedLabels is returned for a labels file that cannot be parsed.
var ErrMalformedLabels = errors.New("malformed labels file")

// labelsHeader lists the columns that a labels file starts with, in order.
var labelsHeader = []string{"file", "person", "faces_expected", "note"}

// Label is one row of a labels file: a photo, who is on it, and how many faces a good
// detector finds on it.
type Label struct {
	File          string
	Person        string
	FacesExpected int
	Note          string
}

// Labelled reports whether the row names the person on the photo.
func (l Label) Labelled() bool {
	return l.Person != "" && l.Person != Unlabelled
}

// ReadLabels reads a tab-separated labels file with the header
// "file<TAB>person<TAB>faces_expected<TAB>note". The note column may be left out of a
// row, and a person of "-" means that the photo's people are not named. Blank lines are
// skipped. Errors about the contents wrap ErrMalformedLabels and give the line number.
func ReadLabels(path string) ([]Label, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open labels %s: %w", path, err)
	}
	defer f.Close()

	labels, err := ParseLabels(f)
	if err != nil {
		return nil, fmt.Errorf("read labels %s: %w", path, err)
	}

	return labels, nil
}

// ParseLabels parses the contents of a labels file, as described at ReadLabels.
func ParseLabels(r io.Reader) ([]Label, error) {
	scanner := bufio.NewScanner(r)

	if !scanner.Scan() {
		if err := scanner.Err(); err != nil {
			return nil, fmt.Errorf("scan labels: %w", err)
		}

		return nil, fmt.Errorf("%w: file is empty, want header %q",
			ErrMalformedLabels, strings.Join(labelsHeader, "\t"))
	}

	if err := checkHeader(scanner.Text()); err != nil {
		return nil, err
	}

	var labels []Label
	seen := map[string]int{}

	for line := 2; scanner.Scan(); line++ {
		text := strings.TrimRight(scanner.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			continue
		}

		label, err := parseLabel(text)
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %w", ErrMalformedLabels, line, err)
		}

		if first, ok := seen[label.File]; ok {
			return nil, fmt.Errorf("%w: line %d: file %s already listed on line %d",
				ErrMalformedLabels, line, label.File, first)
		}

		seen[label.File] = line
		labels = append(labels, label)
	}

	if err := scanner.Err(); err != nil {
		return nil, fmt.Errorf("scan labels: %w", err)
	}

	return labels, nil
}

// checkHeader returns an error unless line is the header of a labels file.
func checkHeader(line string) error {
	got := strings.TrimRight(line, "\r")
	want := strings.Join(labelsHeader, "\t")

	if got != want {
		return fmt.Errorf("%w: line 1: header is %q, want %q", ErrMalformedLabels, got, want)
	}

	return nil
}

// parseLabel parses one row of a labels file.
func parseLabel(text string) (Label, error) {
	fields := strings.Split(text, "\t")
	if len(fields) < 3 || len(fields) > len(labelsHeader) {
		return Label{}, fmt.Errorf("got %d tab-separated columns, want 3 or 4", len(fields))
	}

	label := Label{File: fields[0], Person: fields[1]}
	if len(fields) == 4 {
		label.Note = fields[3]
	}

	if label.File == "" {
		return Label{}, errors.New("file name is empty")
	}

	if label.Person == "" {
		return Label{}, fmt.Errorf("person of %s is empty, use %q for unnamed people",
			label.File, Unlabelled)
	}

	faces, err := strconv.Atoi(fields[2])
	if err != nil || faces < 0 {
		return Label{}, fmt.Errorf("faces_expected of %s is %q, want a count",
			label.File, fields[2])
	}

	label.FacesExpected = faces

	return label, nil
}
