package camera

import "testing"

func TestRedactURL_Passwords(t *testing.T) {
	tests := []struct {
		name, raw, want string
	}{
		{"NoUser", "rtsp://127.0.0.1:554/door", "rtsp://127.0.0.1:554/door"},
		{"Password", "rtsp://admin:secret@127.0.0.1/door", "rtsp://admin:xxxxx@127.0.0.1/door"},
		{"UnparsablePort", "http://admin:secret@127.0.0.1:bad/video",
			"http://xxxxx@127.0.0.1:bad/video"},
		{"UnparsableNoPath", "http://admin:secret@127.0.0.1:bad", "http://xxxxx@127.0.0.1:bad"},
		{"FilePath", "/srv/video/door.mp4", "/srv/video/door.mp4"},
		{"PathWithSpace", "/srv/front door/100%.mp4", "/srv/front door/100%.mp4"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := redactURL(tt.raw); got != tt.want {
				t.Errorf("redactURL(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}
