package camera

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestParse_Specs(t *testing.T) {
	dir := t.TempDir()
	image := mustWriteFile(t, dir, "door.JPG", mustReadSample(t, 1))
	video := mustWriteFile(t, dir, "entrance.mkv", []byte("not decoded by Parse"))
	text := mustWriteFile(t, dir, "notes.txt", []byte("hello"))
	if err := os.Mkdir(filepath.Join(dir, "frames"), 0o700); err != nil {
		t.Fatalf("mkdir: %v", err)
	}

	tests := []struct {
		name    string
		spec    string
		want    string // the source's type
		wantErr error
	}{
		{"Folder", filepath.Join(dir, "frames"), "*camera.Folder", nil},
		{"Image", image, "*camera.Folder", nil},
		{"Video", video, "*camera.FFmpeg", nil},
		{"RTSP", "rtsp://127.0.0.1:8554/door", "*camera.FFmpeg", nil},
		{"HTTP", "http://127.0.0.1:8080/video.mjpg", "*camera.MJPEG", nil},
		{"HTTPS", "HTTPS://127.0.0.1/video", "*camera.MJPEG", nil},
		{"OtherFile", text, "", ErrUnknownSpec},
		{"OtherScheme", "ftp://127.0.0.1/cam", "", ErrUnknownSpec},
		{"Empty", "", "", ErrUnknownSpec},
		{"Missing", filepath.Join(dir, "gone.mp4"), "", os.ErrNotExist},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			source, err := Parse(tt.spec, 5)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Parse(%q) error = %v, want %v", tt.spec, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.spec, err)
			}
			if got := fmt.Sprintf("%T", source); got != tt.want {
				t.Errorf("Parse(%q) = %s, want %s", tt.spec, got, tt.want)
			}
		})
	}
}

func TestParse_SourceSettings(t *testing.T) {
	dir := t.TempDir()
	video := mustWriteFile(t, dir, "clip.mp4", []byte("x"))

	source, err := Parse(video, 4)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	ffmpeg := source.(*FFmpeg)
	if ffmpeg.FPS != 4 {
		t.Errorf("FPS = %v, want 4", ffmpeg.FPS)
	}
	if !ffmpeg.Realtime {
		t.Error("a video file must play in real time, as a camera would deliver it")
	}

	source, err = Parse(dir, 2)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if folder := source.(*Folder); folder.FPS != 2 || folder.Dir != dir {
		t.Errorf("Folder = %+v, want Dir %s at 2 fps", folder, dir)
	}
}
