package node

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the node's Prometheus series, served at /metrics. None carries a client id.
type metrics struct {
	registry *prometheus.Registry

	frames             prometheus.Counter
	framesDropped      prometheus.Counter
	frameErrors        prometheus.Counter
	faces              prometheus.Counter
	decisions          *prometheus.CounterVec
	alerts             *prometheus.CounterVec
	alertsQuiet        prometheus.Counter
	galleryDescriptors prometheus.Gauge
	identifySeconds    prometheus.Histogram
	frameToAlert       prometheus.Histogram
	requests           *prometheus.CounterVec
}

func newMetrics() *metrics {
	latency := []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}
	m := &metrics{
		registry: prometheus.NewRegistry(),
		frames: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "omotenashi_camera_frames_total", Help: "Frames received from the camera."}),
		framesDropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "omotenashi_camera_frames_dropped_total",
			Help: "Frames skipped because a newer one arrived before analysis."}),
		frameErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "omotenashi_camera_frame_errors_total",
			Help: "Frames that could not be decoded or analyzed."}),
		faces: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "omotenashi_faces_total", Help: "Faces found in frames and posted photos."}),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "omotenashi_decisions_total", Help: "Recognition decisions by outcome."},
			[]string{"outcome"}),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "omotenashi_alerts_total", Help: "Arrivals announced to staff, by decision."},
			[]string{"decision"}),
		alertsQuiet: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "omotenashi_alerts_quiet_total",
			Help: "Arrivals held back because the same client was announced recently."}),
		galleryDescriptors: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "omotenashi_gallery_descriptors", Help: "Descriptors in the search gallery."}),
		identifySeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "omotenashi_identify_seconds", Help: "Time to identify a posted photo.",
			Buckets: latency}),
		frameToAlert: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "omotenashi_frame_to_alert_seconds",
			Help:    "Time from the best frame of an arrival to its alert.",
			Buckets: latency}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "omotenashi_http_requests_total", Help: "HTTP requests by route and status."},
			[]string{"route", "code"}),
	}
	m.registry.MustRegister(m.frames, m.framesDropped, m.frameErrors, m.faces, m.decisions,
		m.alerts, m.alertsQuiet, m.galleryDescriptors, m.identifySeconds, m.frameToAlert,
		m.requests, collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
