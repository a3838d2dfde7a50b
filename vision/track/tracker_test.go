package track

import (
	"fmt"
	"image"
	"testing"
	"time"
)

// frameInterval is the time between frames of a 10 fps camera.
const frameInterval = 100 * time.Millisecond

var epoch = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// frameTime returns the time of frame i.
func frameTime(i int) time.Time {
	return epoch.Add(time.Duration(i) * frameInterval)
}

// face returns a detection of a size×size face at (x, y), whose payload names the person and
// the frame.
func face(person string, frame, x, y, size int, quality float64) Detection {
	return Detection{
		Box:     image.Rect(x, y, x+size, y+size),
		Quality: quality,
		Payload: fmt.Sprintf("%s@%d", person, frame),
	}
}

// updateAll feeds frames of detections to tracker, one per frameInterval from epoch, and
// returns every Ready with the index of the frame that returned it.
func updateAll(tracker *Tracker, frames [][]Detection) ([]Ready, []int) {
	var ready []Ready
	var at []int
	for i, dets := range frames {
		for _, r := range tracker.Update(frameTime(i), dets) {
			ready = append(ready, r)
			at = append(at, i)
		}
	}

	return ready, at
}

func TestTracker_WalkingPersonIsOneArrival(t *testing.T) {
	// She walks in from the left, 12 px per frame, and her face grows as she nears.
	var frames [][]Detection
	for i := range 30 {
		frames = append(frames, []Detection{face("ana", i, 12*i, 200, 60+i, float64(i))})
	}
	for range 10 {
		frames = append(frames, nil) // she has left
	}

	tracker := New(Config{})
	ready, at := updateAll(tracker, frames)
	ready = append(ready, tracker.Flush()...)

	if len(ready) != 1 {
		t.Fatalf("got %d Ready, want 1", len(ready))
	}
	if at[0] != 7 {
		t.Errorf("Ready at frame %d, want 7 (700 ms after the first frame)", at[0])
	}
	if ready[0].Frames != 8 {
		t.Errorf("Frames = %d, want 8 at the report", ready[0].Frames)
	}
	if got := ready[0].Best.Payload; got != "ana@7" {
		t.Errorf("Best = %v, want ana@7, the best frame up to the report", got)
	}
	if !ready[0].FirstSeen.Equal(frameTime(0)) {
		t.Errorf("FirstSeen = %v, want the time of frame 0", ready[0].FirstSeen)
	}
	if !ready[0].BestAt.Equal(frameTime(7)) {
		t.Errorf("BestAt = %v, want the time of frame 7", ready[0].BestAt)
	}
}

func TestTracker_BestFrameOverWholeTrack(t *testing.T) {
	qualities := []float64{3, 9, 4, 12, 7, 1}
	var frames [][]Detection
	for i, q := range qualities {
		frames = append(frames, []Detection{face("ben", i, 300+5*i, 100, 90, q)})
	}

	tracker := New(Config{Settle: -1})
	ready, _ := updateAll(tracker, frames)
	ready = append(ready, tracker.Flush()...)

	if len(ready) != 1 {
		t.Fatalf("got %d Ready, want 1", len(ready))
	}
	if got := ready[0].Best.Payload; got != "ben@3" {
		t.Errorf("Best = %v, want ben@3 (quality 12)", got)
	}
	if ready[0].Frames != len(qualities) {
		t.Errorf("Frames = %d, want %d", ready[0].Frames, len(qualities))
	}
}

func TestTracker_FastMotionStaysOneTrack(t *testing.T) {
	// 50 px per frame with 80 px faces: consecutive boxes overlap with IoU 0.23, below 0.3.
	var frames [][]Detection
	for i := range 12 {
		frames = append(frames, []Detection{face("chi", i, 50*i, 150, 80, 1)})
	}

	tracker := New(Config{Settle: -1})
	ready, _ := updateAll(tracker, frames)
	ready = append(ready, tracker.Flush()...)

	if len(ready) != 1 {
		t.Fatalf("got %d Ready, want 1", len(ready))
	}
	if ready[0].Frames != 12 {
		t.Errorf("Frames = %d, want 12", ready[0].Frames)
	}
}

func TestTracker_CrossingPeopleStayTwoTracks(t *testing.T) {
	// Dao walks right and Emi walks left on nearly the same line. Around frame 15 their
	// faces overlap, and Emi, in front, hides Dao in frames 14 to 16. Quality rises with the
	// frame, so each track's best is its last frame.
	var frames [][]Detection
	for i := range 30 {
		dao := face("dao", i, 20*i, 200, 80, float64(i))
		emi := face("emi", i, 600-20*i, 210, 80, float64(i))
		switch {
		case i >= 14 && i <= 16:
			frames = append(frames, []Detection{emi})
		case i%2 == 0:
			frames = append(frames, []Detection{dao, emi})
		default:
			frames = append(frames, []Detection{emi, dao})
		}
	}

	tracker := New(Config{Settle: -1})
	ready, _ := updateAll(tracker, frames)
	ready = append(ready, tracker.Flush()...)

	if len(ready) != 2 {
		t.Fatalf("got %d Ready, want 2", len(ready))
	}
	if ready[0].Frames != 27 {
		t.Errorf("first track: Frames = %d, want 27", ready[0].Frames)
	}
	if ready[1].Frames != 30 {
		t.Errorf("second track: Frames = %d, want 30", ready[1].Frames)
	}
	if got := ready[0].Best.Payload; got != "dao@29" {
		t.Errorf("first track's best = %v, want dao@29; the tracks swapped", got)
	}
	if got := ready[1].Best.Payload; got != "emi@29" {
		t.Errorf("second track's best = %v, want emi@29; the tracks swapped", got)
	}
}

func TestTracker_LeavingTrackReadyAfterMaxMissed(t *testing.T) {
	frames := make([][]Detection, 12)
	for i := range 4 {
		frames[i] = []Detection{face("fay", i, 100, 100, 70, 1)}
	}

	tracker := New(Config{Settle: -1, MaxMissed: 5})
	ready, at := updateAll(tracker, frames)

	if len(ready) != 1 {
		t.Fatalf("got %d Ready, want 1", len(ready))
	}
	if at[0] != 8 {
		t.Errorf("Ready at frame %d, want 8 (unseen in frames 4 to 8)", at[0])
	}
	if ready[0].Frames != 4 {
		t.Errorf("Frames = %d, want 4", ready[0].Frames)
	}
	if flushed := tracker.Flush(); len(flushed) != 0 {
		t.Errorf("Flush returned %d Ready for a track that already ended", len(flushed))
	}
}

func TestTracker_ShortOcclusionKeepsTrack(t *testing.T) {
	frames := make([][]Detection, 10)
	for _, i := range []int{0, 1, 2, 6, 7} { // hidden in frames 3 to 5
		frames[i] = []Detection{face("gia", i, 200+4*i, 120, 70, 1)}
	}

	tracker := New(Config{Settle: -1, MaxMissed: 5})
	ready, _ := updateAll(tracker, frames)
	ready = append(ready, tracker.Flush()...)

	if len(ready) != 1 {
		t.Fatalf("got %d Ready, want 1 across the occlusion", len(ready))
	}
	if ready[0].Frames != 5 {
		t.Errorf("Frames = %d, want 5", ready[0].Frames)
	}
}

func TestTracker_SettleReportsOnce(t *testing.T) {
	// Hoa waits at the counter for 5 s, then leaves.
	frames := make([][]Detection, 60)
	for i := range 50 {
		frames[i] = []Detection{face("hoa", i, 400, 300, 100, float64(i%7))}
	}

	tracker := New(Config{Settle: time.Second})
	ready, at := updateAll(tracker, frames)
	ready = append(ready, tracker.Flush()...)

	if len(ready) != 1 {
		t.Fatalf("got %d Ready, want 1", len(ready))
	}
	if at[0] != 10 {
		t.Errorf("Ready at frame %d, want 10 (Settle 1 s at 10 fps)", at[0])
	}
	if got := ready[0].Best.Payload; got != "hoa@6" {
		t.Errorf("Best = %v, want hoa@6 (quality 6 within the first second)", got)
	}
}

func TestTracker_FlushReportsUnreported(t *testing.T) {
	tracker := New(Config{Settle: 2 * time.Second})
	tracker.Update(frameTime(0), []Detection{face("ivy", 0, 0, 0, 80, 1)})
	tracker.Update(frameTime(1), []Detection{
		face("ivy", 1, 5, 0, 80, 2),
		face("jun", 1, 500, 0, 80, 1),
	})

	flushed := tracker.Flush()
	if len(flushed) != 2 {
		t.Fatalf("Flush returned %d Ready, want 2", len(flushed))
	}
	if flushed[0].Frames != 2 {
		t.Errorf("first track: Frames = %d, want 2", flushed[0].Frames)
	}
	if flushed[1].Frames != 1 {
		t.Errorf("second track: Frames = %d, want 1", flushed[1].Frames)
	}
	if again := tracker.Flush(); len(again) != 0 {
		t.Errorf("second Flush returned %d Ready, want 0", len(again))
	}
	if later := tracker.Update(frameTime(30), nil); len(later) != 0 {
		t.Errorf("Update after Flush returned %d Ready, want 0", len(later))
	}
}

func TestTracker_NewFaceAfterEndIsNewTrack(t *testing.T) {
	frames := make([][]Detection, 20)
	frames[0] = []Detection{face("kim", 0, 100, 100, 80, 1)}
	frames[15] = []Detection{face("kim", 15, 100, 100, 80, 1)} // she comes back

	tracker := New(Config{Settle: -1})
	ready, _ := updateAll(tracker, frames)
	ready = append(ready, tracker.Flush()...)

	if len(ready) != 2 {
		t.Fatalf("got %d Ready, want 2 arrivals", len(ready))
	}
	if ready[0].TrackID == ready[1].TrackID {
		t.Errorf("both arrivals have track ID %d", ready[0].TrackID)
	}
}

func TestIoU_Boxes(t *testing.T) {
	tests := []struct {
		name string
		a, b image.Rectangle
		want float64
	}{
		{"Equal", image.Rect(0, 0, 10, 10), image.Rect(0, 0, 10, 10), 1},
		{"Disjoint", image.Rect(0, 0, 10, 10), image.Rect(20, 0, 30, 10), 0},
		{"Touching", image.Rect(0, 0, 10, 10), image.Rect(10, 0, 20, 10), 0},
		{"HalfShift", image.Rect(0, 0, 10, 10), image.Rect(5, 0, 15, 10), 50.0 / 150},
		{"Inside", image.Rect(0, 0, 10, 10), image.Rect(0, 0, 5, 10), 0.5},
		{"Empty", image.Rectangle{}, image.Rect(0, 0, 10, 10), 0},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IoU(tt.a, tt.b); got != tt.want {
				t.Errorf("IoU = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTracker_SameKeepsPeopleApart(t *testing.T) {
	// Two different people stand in turn at one place, one frame each: geometry alone joins
	// them into one track, the appearance check keeps them apart.
	alice := Detection{Box: image.Rect(100, 100, 200, 200), Quality: 1, Payload: "alice"}
	bob := Detection{Box: image.Rect(105, 100, 205, 200), Quality: 1, Payload: "bob"}
	same := func(last, next Detection) bool { return last.Payload == next.Payload }

	tests := []struct {
		name   string
		same   func(last, next Detection) bool
		tracks int
	}{
		{"geometry only", nil, 1},
		{"with appearance check", same, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := New(Config{Settle: -1, Same: tt.same})
			start := time.Unix(0, 0)
			tr.Update(start, []Detection{alice})
			tr.Update(start.Add(time.Second), []Detection{bob})
			if got := len(tr.Flush()); got != tt.tracks {
				t.Fatalf("%d tracks, want %d", got, tt.tracks)
			}
		})
	}
}
