package track

import (
	"cmp"
	"image"
	"slices"
	"time"
)

// Default tracker settings, used for zero Config fields.
const (
	DefaultMinIoU         = 0.3
	DefaultMaxMissed      = 5
	DefaultSettle         = 700 * time.Millisecond
	DefaultMaxCentreShift = 1.0
)

// Detection is one face found in one frame.
type Detection struct {
	Box     image.Rectangle // face box in frame pixels
	Quality float64         // higher is better; see Quality
	Payload any             // the caller's data for this face, such as the frame or a crop
}

// Config sets how a Tracker matches detections and when it reports tracks. Zero fields take
// the defaults.
type Config struct {
	// MinIoU is the intersection over union a detection needs with a track's predicted box
	// to continue that track. Default 0.3.
	MinIoU float64

	// MaxMissed is the number of consecutive frames a track may go unseen before it ends.
	// Default 5.
	MaxMissed int

	// Settle is how long after its first frame a live track is reported with its best
	// detection so far, so that an alert does not wait for the person to leave. Default
	// 700 ms; a negative value reports tracks only when they end.
	Settle time.Duration

	// MaxCentreShift lets a detection without enough overlap continue a track when its centre
	// lies within this many box sizes (mean of width and height) of the predicted centre, as
	// for fast motion or a low frame rate. The two boxes' areas must be within a factor of 2.
	// Default 1.0; a negative value matches by overlap only.
	MaxCentreShift float64

	// Same, when set, must also accept a detection as the same person as the track's last
	// one before the detection continues it: an appearance check, such as a descriptor
	// distance, that keeps two people who stand in the same place in turn apart. Nil
	// accepts every detection that geometry allows.
	Same func(last, next Detection) bool
}

// Ready is a track to describe: its best detection and when it was seen. Each track is
// reported once.
type Ready struct {
	TrackID   uint64
	Best      Detection // detection with the highest Quality up to the report
	Frames    int       // frames in which the track was seen, up to the report
	FirstSeen time.Time
	BestAt    time.Time // time of the frame of Best
}

// Tracker groups detections into tracks across frames. It is not safe for concurrent use:
// one Tracker serves one camera.
type Tracker struct {
	cfg    Config
	tracks []*track // live tracks, in creation order
	nextID uint64
}

// track is one person's face followed across frames.
type track struct {
	id        uint64
	box       image.Rectangle // box in the last frame seen
	last      Detection       // detection in the last frame seen
	velocity  image.Point     // box shift per frame between the last two frames seen
	best      Detection
	bestAt    time.Time
	firstSeen time.Time
	frames    int
	missed    int  // consecutive frames unseen
	reported  bool // a Ready was returned for this track
}

// New returns a Tracker with cfg, whose zero fields take the defaults.
func New(cfg Config) *Tracker {
	if cfg.MinIoU <= 0 {
		cfg.MinIoU = DefaultMinIoU
	}
	if cfg.MaxMissed <= 0 {
		cfg.MaxMissed = DefaultMaxMissed
	}
	if cfg.Settle == 0 {
		cfg.Settle = DefaultSettle
	}
	if cfg.MaxCentreShift == 0 {
		cfg.MaxCentreShift = DefaultMaxCentreShift
	}

	return &Tracker{cfg: cfg, nextID: 1}
}

// Update consumes the detections of one frame taken at now, and returns the tracks that
// became ready: those that ended, unseen for MaxMissed frames, and those that have lived
// Settle. Each track is returned once, in the order of track IDs.
//
// NOTE: there is no minimum track length, so a false detection in a single frame is
// reported too, after MaxMissed frames.
func (t *Tracker) Update(now time.Time, dets []Detection) []Ready {
	matches, unmatched := assign(t.tracks, dets, t.cfg)

	seen := make([]bool, len(t.tracks))
	for trackIndex, detIndex := range matches {
		t.tracks[trackIndex].observe(now, dets[detIndex])
		seen[trackIndex] = true
	}

	var ready []Ready
	live := t.tracks[:0]
	for i, tr := range t.tracks {
		if !seen[i] {
			tr.missed++
		}
		if tr.missed < t.cfg.MaxMissed {
			live = append(live, tr)
			continue
		}
		if !tr.reported {
			ready = append(ready, tr.ready())
		}
	}
	t.tracks = live

	for _, detIndex := range unmatched {
		t.tracks = append(t.tracks, t.start(now, dets[detIndex]))
	}

	ready = append(ready, t.settled(now)...)
	slices.SortFunc(ready, func(a, b Ready) int { return cmp.Compare(a.TrackID, b.TrackID) })

	return ready
}

// Flush ends all tracks, as when the source has ended, and returns those never reported.
func (t *Tracker) Flush() []Ready {
	var ready []Ready
	for _, tr := range t.tracks {
		if !tr.reported {
			ready = append(ready, tr.ready())
		}
	}
	t.tracks = nil

	return ready
}

// settled marks and returns the live tracks that have reached Settle unreported.
func (t *Tracker) settled(now time.Time) []Ready {
	if t.cfg.Settle < 0 {
		return nil
	}

	var ready []Ready
	for _, tr := range t.tracks {
		if !tr.reported && now.Sub(tr.firstSeen) >= t.cfg.Settle {
			ready = append(ready, tr.ready())
		}
	}

	return ready
}

// start creates a track from a detection that continues no track.
func (t *Tracker) start(now time.Time, det Detection) *track {
	tr := &track{
		id:        t.nextID,
		box:       det.Box,
		last:      det,
		best:      det,
		bestAt:    now,
		firstSeen: now,
		frames:    1,
	}
	t.nextID++

	return tr
}

// observe continues the track with a detection of the current frame.
func (tr *track) observe(now time.Time, det Detection) {
	// The shift is spread over the frames missed, so prediction stays per frame.
	shift := centre(det.Box).Sub(centre(tr.box))
	tr.velocity = shift.Div(tr.missed + 1)

	tr.box = det.Box
	tr.last = det
	tr.frames++
	tr.missed = 0
	if det.Quality > tr.best.Quality {
		tr.best = det
		tr.bestAt = now
	}
}

// predicted returns where the track's box should be in the current frame.
func (tr *track) predicted() image.Rectangle {
	return tr.box.Add(tr.velocity.Mul(tr.missed + 1))
}

// ready marks the track reported and returns its Ready.
func (tr *track) ready() Ready {
	tr.reported = true

	return Ready{
		TrackID:   tr.id,
		Best:      tr.best,
		Frames:    tr.frames,
		FirstSeen: tr.firstSeen,
		BestAt:    tr.bestAt,
	}
}
