package calibrate

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const realLabels = "/work/shared/faces/labels.tsv"

func TestReadLabels_RealFile(t *testing.T) {
	if _, err := os.Stat(realLabels); err != nil {
		t.Skipf("labelled test faces not available: %v", err)
	}

	labels, err := ReadLabels(realLabels)
	if err != nil {
		t.Fatalf("ReadLabels: %v", err)
	}

	byFile := map[string]Label{}
	photos := map[string]int{}
	for _, l := range labels {
		byFile[l.File] = l
		if l.Labelled() {
			photos[l.Person]++
		}
	}

	if len(labels) < 10 {
		t.Errorf("got %d labels, want at least 10", len(labels))
	}

	group, ok := byFile["pristin.jpg"]
	if !ok {
		t.Fatal("pristin.jpg not listed")
	}

	if group.Labelled() || group.FacesExpected != 10 {
		t.Errorf("pristin.jpg = %+v, want unlabelled with 10 faces", group)
	}

	for _, person := range []string{"bona", "eunseo", "jimin"} {
		if photos[person] < 2 {
			t.Errorf("%s has %d photos, want at least 2", person, photos[person])
		}
	}

	if note := byFile["bona.jpg"].Note; note != "studio portrait" {
		t.Errorf("bona.jpg note = %q, want %q", note, "studio portrait")
	}
}

func TestParseLabels_Valid(t *testing.T) {
	input := "file\tperson\tfaces_expected\tnote\r\n" +
		"a.jpg\tana\t1\tfront\r\n" +
		"\n" +
		"b.jpg\t-\t3\r\n"

	labels, err := ParseLabels(strings.NewReader(input))
	if err != nil {
		t.Fatalf("ParseLabels: %v", err)
	}

	want := []Label{
		{File: "a.jpg", Person: "ana", FacesExpected: 1, Note: "front"},
		{File: "b.jpg", Person: Unlabelled, FacesExpected: 3},
	}

	if len(labels) != len(want) {
		t.Fatalf("got %d labels %v, want %d", len(labels), labels, len(want))
	}

	for i := range want {
		if labels[i] != want[i] {
			t.Errorf("label %d = %+v, want %+v", i, labels[i], want[i])
		}
	}

	if !labels[0].Labelled() || labels[1].Labelled() {
		t.Errorf("Labelled = %v, %v, want true, false",
			labels[0].Labelled(), labels[1].Labelled())
	}
}

func TestParseLabels_HeaderOnly(t *testing.T) {
	labels, err := ParseLabels(strings.NewReader("file\tperson\tfaces_expected\tnote\n"))
	if err != nil {
		t.Fatalf("ParseLabels: %v", err)
	}

	if len(labels) != 0 {
		t.Errorf("got %d labels, want 0", len(labels))
	}
}

func TestParseLabels_Malformed(t *testing.T) {
	const header = "file\tperson\tfaces_expected\tnote\n"

	tests := []struct {
		name    string
		input   string
		wantMsg string
	}{
		{name: "empty file", input: "", wantMsg: "empty"},
		{name: "wrong header", input: "file,person,faces\n", wantMsg: "line 1"},
		{name: "missing columns", input: header + "a.jpg\tana\n", wantMsg: "line 2"},
		{name: "extra column", input: header + "a.jpg\tana\t1\tnote\textra\n",
			wantMsg: "5 tab-separated columns"},
		{name: "faces not a number", input: header + "a.jpg\tana\tone\n",
			wantMsg: "faces_expected"},
		{name: "negative faces", input: header + "a.jpg\tana\t-1\n",
			wantMsg: "faces_expected"},
		{name: "empty file name", input: header + "\tana\t1\n", wantMsg: "file name"},
		{name: "empty person", input: header + "a.jpg\t\t1\n", wantMsg: "person"},
		{name: "duplicate file", input: header + "a.jpg\tana\t1\n\na.jpg\tbinh\t1\n",
			wantMsg: "line 4: file a.jpg already listed on line 2"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			labels, err := ParseLabels(strings.NewReader(tt.input))
			if !errors.Is(err, ErrMalformedLabels) {
				t.Fatalf("ParseLabels = %v, %v, want ErrMalformedLabels", labels, err)
			}

			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tt.wantMsg)
			}
		})
	}
}

func TestReadLabels_MissingFile(t *testing.T) {
	_, err := ReadLabels(filepath.Join(t.TempDir(), "labels.tsv"))

	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadLabels = %v, want os.ErrNotExist", err)
	}
}

func TestReadLabels_WrittenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "labels.tsv")
	content := "file\tperson\tfaces_expected\tnote\nshop.jpg\tana\t1\tentrance camera\n"

	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}

	labels, err := ReadLabels(path)
	if err != nil {
		t.Fatalf("ReadLabels: %v", err)
	}

	if len(labels) != 1 || labels[0].Person != "ana" || labels[0].Note != "entrance camera" {
		t.Errorf("ReadLabels = %+v, want one row of ana", labels)
	}
}
