package node

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/omotenashi/omotenashi/node/profile"
	"github.com/omotenashi/omotenashi/vision"
	"github.com/omotenashi/omotenashi/vision/camera"
	"github.com/omotenashi/omotenashi/vision/decide"
	"github.com/omotenashi/omotenashi/vision/track"
)

// seenFace is a tracked detection: the face and the frame that showed it.
type seenFace struct {
	face  vision.Face
	frame camera.Frame
}

// runCamera plays src through detection, tracking and recognition until the source ends or
// ctx does. Frames arrive faster than they can be analyzed at times: the newest frame waits
// in a slot of one and older ones are dropped, so alerts never lag behind a backlog.
func (n *Node) runCamera(ctx context.Context, src camera.Source) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	slot := make(chan camera.Frame, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		n.analyzeFrames(ctx, src.Name(), slot)
	}()

	err := src.Run(ctx, func(f camera.Frame) error {
		n.metrics.frames.Inc()
		select {
		case <-slot:
			n.metrics.framesDropped.Inc()
		default:
		}
		slot <- f
		return nil
	})
	close(slot)
	<-done
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// analyzeFrames detects faces in each frame of slot, tracks them, and alerts for each track
// once it is ready. When the slot closes, the tracks still open are alerted too.
func (n *Node) analyzeFrames(ctx context.Context, cameraName string, slot <-chan camera.Frame) {
	tracker := track.New(track.Config{Same: sameFace})
	skips := skipLog{log: n.log, camera: cameraName, interval: skipLogInterval}
	defer skips.flush()
	for f := range slot {
		photo, err := n.rec.FacesInPhoto(ctx, f.Data, n.cfg.Limits, vision.Live)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			n.metrics.frameErrors.Inc()
			skips.skip(f, err)
			continue
		}
		skips.analyzed(f.Time)
		n.metrics.faces.Add(float64(len(photo.Faces)))

		dets := make([]track.Detection, 0, len(photo.Faces))
		for _, face := range photo.Faces {
			dets = append(dets, track.Detection{
				Box:     face.Box,
				Quality: track.Quality(face.Box, 1),
				Payload: seenFace{face: face, frame: f},
			})
		}
		for _, ready := range tracker.Update(f.Time, dets) {
			n.arrive(ctx, cameraName, ready)
		}
	}
	if ctx.Err() == nil {
		for _, ready := range tracker.Flush() {
			n.arrive(ctx, cameraName, ready)
		}
	}
}

// skipLogInterval is the shortest time between two "frames skipped" logs of one camera.
const skipLogInterval = 10 * time.Second

// skipLog logs the frames of one camera that could not be analyzed. It logs the first skip
// with its error, then at most one summary per interval with the number of frames skipped
// and the last error. So a 25 fps camera whose frames all fail writes one line per
// interval, not 25 a second. Intervals are measured in the frames' capture time.
type skipLog struct {
	log      *slog.Logger
	camera   string
	interval time.Duration

	logged  time.Time // capture time of the frame at the last log line
	skipped int       // frames skipped since the last log line
	lastErr error
	last    time.Time // capture time of the last frame seen
}

// skip counts frame f as skipped for err, and logs when the interval since the last line
// has passed.
func (s *skipLog) skip(f camera.Frame, err error) {
	s.skipped++
	s.lastErr = err
	s.last = f.Time
	if !s.logged.IsZero() && f.Time.Sub(s.logged) < s.interval {
		return
	}

	if s.skipped == 1 {
		s.log.Warn("frame skipped", "camera", s.camera, "seq", f.Seq, "error", err)
		s.skipped = 0
		s.logged = f.Time
		return
	}
	s.flush()
}

// analyzed records that a frame captured at t was analyzed, and writes the summary of the
// frames skipped before it once the interval has passed.
func (s *skipLog) analyzed(t time.Time) {
	s.last = t
	if s.skipped > 0 && t.Sub(s.logged) >= s.interval {
		s.flush()
	}
}

// flush logs the number of frames skipped since the last line, if any.
func (s *skipLog) flush() {
	if s.skipped == 0 {
		return
	}
	s.log.Warn("frames skipped", "camera", s.camera, "frames", s.skipped,
		"period", s.last.Sub(s.logged).Round(time.Second), "last_error", s.lastErr)
	s.skipped = 0
	s.logged = s.last
}

// sameTrackDistance is the largest descriptor distance between a track's last face and a
// new one that continues it. One person between consecutive frames is usually under 0.3
// apart; two different people standing in turn at one spot are over 0.39 apart on the
// labelled photos the thresholds come from, and mostly over 0.5.
const sameTrackDistance = 0.5

// sameFace is the tracker's appearance check: it compares the descriptors of two
// detections.
func sameFace(last, next track.Detection) bool {
	a := last.Payload.(seenFace).face.Descriptor
	b := next.Payload.(seenFace).face.Descriptor
	var sum float32
	for i := range a {
		d := a[i] - b[i]
		sum += d * d
	}
	return sum <= sameTrackDistance*sameTrackDistance
}

// arrive decides who a ready track is, records her visit on a match and alerts the staff,
// unless the same client or the same candidates were alerted within the quiet period. The
// recognition engine describes the track's best face here, once per track.
func (n *Node) arrive(ctx context.Context, cameraName string, ready track.Ready) {
	seen := ready.Best.Payload.(seenFace)
	readings, err := n.engines.read(ctx, seen.frame.Data, n.cfg.Limits,
		[]vision.Face{seen.face})
	if err != nil && ctx.Err() != nil {
		// The camera is stopping, as at shutdown: the face is dropped with it.
		n.log.Debug("arriving face dropped as the camera stops", "camera", cameraName)
		return
	}
	if err != nil {
		n.log.Error("describe arriving face failed", "camera", cameraName, "error", err)
		return
	}
	reading := readings[0]
	r, err := n.recognize(reading)
	if err != nil {
		n.log.Error("recognition failed", "camera", cameraName, "error", err)
		return
	}

	now := time.Now()
	if key := quietKey(r); key != "" && !n.quiet.Allow(key, now) {
		n.metrics.alertsQuiet.Inc()
		return
	}

	a := &Arrival{
		ID:         profile.NewID(),
		At:         now.UTC(),
		Camera:     cameraName,
		Decision:   string(r.decision.Outcome),
		Status:     StatusNew,
		Box:        boxArray(seen.face.Box),
		Candidates: r.candidates,
		Quality:    reading.quality,
		Liveness:   reading.liveness,
		Crop:       n.cropDataURL(seen),
	}
	if r.customer != nil {
		a.Customer = n.card(r.customer)
		a.Status = StatusConfirmed
		n.recordVisit(r.customer.ID, string(r.decision.Outcome), "")
	} else if r.decision.Outcome == decide.OutcomeAmbiguous {
		a.reading = &reading
	}
	a.LatencyMS = float64(now.Sub(seen.frame.Time).Microseconds()) / 1000

	n.arrivals.add(a)
	n.hub.Publish(*a)
	n.metrics.alerts.WithLabelValues(a.Decision).Inc()
	n.metrics.frameToAlert.Observe(now.Sub(seen.frame.Time).Seconds())
	n.log.Info("arrival", "camera", cameraName, "decision", a.Decision, "arrival", a.ID,
		"customer", customerID(a), "candidates", len(a.Candidates))
}

// quietKey is the client an alert is about, or for an undecided face the set of its
// candidates, so one person standing in view is not announced again and again. An unknown
// face has no key: the tracker already makes one arrival of her time in view.
func quietKey(r recognition) string {
	if r.customer != nil {
		return "customer:" + r.customer.ID
	}
	if len(r.candidates) == 0 {
		return ""
	}
	ids := make([]string, 0, len(r.candidates))
	for _, c := range r.candidates {
		ids = append(ids, c.ID)
	}
	sort.Strings(ids)
	return "candidates:" + strings.Join(ids, ",")
}

func customerID(a *Arrival) string {
	if a.Customer == nil {
		return ""
	}
	return a.Customer.ID
}

// cropDataURL returns the face crop of a detection as a JPEG data URL. When the frame cannot
// be cropped it logs the failure and returns "", so the alert goes out without a picture.
func (n *Node) cropDataURL(seen seenFace) string {
	crop, err := vision.CropJPEG(seen.frame.Data, n.cfg.Limits, seen.face.Box, 192)
	if err != nil {
		n.log.Warn("face crop failed", "error", err)
		return ""
	}
	return "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(crop)
}

// recordVisit stores a visit of the client to this boutique; a failure is logged, since the
// alert matters more than the history line.
func (n *Node) recordVisit(id, decision, assistant string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := n.write(ctx, id, OpRecordVisit, profile.Visit{
		At: time.Now().UTC(), Store: n.cfg.StoreName, Decision: decision, Assistant: assistant,
	})
	if err != nil && !errors.Is(err, ErrPending) {
		n.log.Error("record visit failed", "customer", id, "error", err)
	}
}

// Confirm records that an ambiguous arrival was the client customerID. Her visit is
// recorded and the arrival's descriptor joins her samples, so she is recognized better.
// Unless anyClient is set (a manager's confirmation), she must be one of the candidates.
func (n *Node) Confirm(arrivalID, customerID, assistant string, anyClient bool) (Arrival,
	error) {

	cust, err := n.store.Get(customerID)
	if err != nil {
		return Arrival{}, err
	}
	if !anyClient && !n.arrivals.isCandidate(arrivalID, customerID) {
		return Arrival{}, ErrNotCandidate
	}
	a, reading, err := n.arrivals.decide(arrivalID, StatusConfirmed, time.Now())
	if err != nil {
		return Arrival{}, err
	}

	descriptors := reading.descriptors(profile.OriginConfirmation, time.Now().UTC())
	if err := n.addDescriptors(context.Background(), customerID, descriptors); err != nil {
		return Arrival{}, fmt.Errorf("add confirmed descriptor: %w", err)
	}
	n.recordVisit(customerID, "confirmed", assistant)

	a.Customer = n.card(cust)
	n.arrivals.setCustomer(arrivalID, a.Customer)
	n.log.Info("arrival confirmed", "arrival", arrivalID, "customer", customerID)
	return a, nil
}

// Reject records that an ambiguous arrival was none of its candidates, and drops its
// descriptor.
func (n *Node) Reject(arrivalID string) (Arrival, error) {
	a, _, err := n.arrivals.decide(arrivalID, StatusRejected, time.Now())
	if err == nil {
		n.log.Info("arrival rejected", "arrival", arrivalID)
	}
	return a, err
}
