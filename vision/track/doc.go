// Package track groups face detections across consecutive frames into tracks, so that one
// person walking in is one arrival, and picks each track's best frame to describe.
// It also rate-limits alerts per client with Quiet.
package track
