package replicate

import (
	"io"
	"sync"
	"time"

	"github.com/hashicorp/raft"
)

// progress is the leader's match index per follower: the highest log index that a successful
// AppendEntries or InstallSnapshot response confirmed. hashicorp/raft v1.7.2 keeps its own
// match index private, so the group records it at its transport instead.
type progress struct {
	mu      sync.Mutex
	match   map[raft.ServerID]uint64
	contact map[raft.ServerID]time.Time
}

func newProgress() *progress {
	return &progress{
		match:   make(map[raft.ServerID]uint64),
		contact: make(map[raft.ServerID]time.Time),
	}
}

func (p *progress) record(id raft.ServerID, index uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()

	if index > p.match[id] {
		p.match[id] = index
	}
	p.contact[id] = time.Now()
}

// get returns id's match index and last successful contact; zero values when unknown.
func (p *progress) get(id raft.ServerID) (uint64, time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()

	return p.match[id], p.contact[id]
}

// reset clears all records on a change of leader, because match indexes from an earlier term
// may name entries that the new leader overwrote.
func (p *progress) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()

	clear(p.match)
	clear(p.contact)
}

// trackingTransport wraps the caller's transport to record follower progress. Close closes the
// wrapped transport, so raft's shutdown closes it.
type trackingTransport struct {
	raft.Transport
	progress *progress
}

// preVoteTransport is a trackingTransport over a transport that supports pre-vote; raft
// enables pre-vote only when the transport implements raft.WithPreVote.
type preVoteTransport struct {
	*trackingTransport
	preVote raft.WithPreVote
}

func wrapTransport(t raft.Transport, p *progress) raft.Transport {
	tracking := &trackingTransport{Transport: t, progress: p}
	if pv, ok := t.(raft.WithPreVote); ok {
		return &preVoteTransport{trackingTransport: tracking, preVote: pv}
	}

	return tracking
}

// RequestPreVote passes the request on.
func (t *preVoteTransport) RequestPreVote(id raft.ServerID, target raft.ServerAddress,
	args *raft.RequestPreVoteRequest, resp *raft.RequestPreVoteResponse) error {
	return t.preVote.RequestPreVote(id, target, args, resp)
}

// AppendEntries sends the request and records the follower's match index on success.
func (t *trackingTransport) AppendEntries(id raft.ServerID, target raft.ServerAddress,
	args *raft.AppendEntriesRequest, resp *raft.AppendEntriesResponse) error {
	err := t.Transport.AppendEntries(id, target, args, resp)
	if err == nil && resp.Success {
		t.progress.record(id, args.PrevLogEntry+uint64(len(args.Entries)))
	}

	return err
}

// InstallSnapshot sends the snapshot and records its last index as the follower's match.
func (t *trackingTransport) InstallSnapshot(id raft.ServerID, target raft.ServerAddress,
	args *raft.InstallSnapshotRequest, resp *raft.InstallSnapshotResponse,
	data io.Reader) error {
	err := t.Transport.InstallSnapshot(id, target, args, resp, data)
	if err == nil && resp.Success {
		t.progress.record(id, args.LastLogIndex)
	}

	return err
}

// AppendEntriesPipeline opens the wrapped pipeline and relays its responses through a
// goroutine that records progress.
func (t *trackingTransport) AppendEntriesPipeline(id raft.ServerID,
	target raft.ServerAddress) (raft.AppendPipeline, error) {
	inner, err := t.Transport.AppendEntriesPipeline(id, target)
	if err != nil {
		return nil, err
	}

	p := &trackingPipeline{
		AppendPipeline: inner,
		id:             id,
		progress:       t.progress,
		out:            make(chan raft.AppendFuture, 128),
		done:           make(chan struct{}),
	}
	go p.relay()

	return p, nil
}

// Close closes the wrapped transport if it can be closed.
func (t *trackingTransport) Close() error {
	if c, ok := t.Transport.(raft.WithClose); ok {
		return c.Close()
	}

	return nil
}

type trackingPipeline struct {
	raft.AppendPipeline
	id        raft.ServerID
	progress  *progress
	out       chan raft.AppendFuture
	done      chan struct{}
	closeOnce sync.Once
}

func (p *trackingPipeline) relay() {
	in := p.AppendPipeline.Consumer()
	for {
		select {
		case f := <-in:
			if f.Error() == nil && f.Response().Success {
				req := f.Request()
				p.progress.record(p.id, req.PrevLogEntry+uint64(len(req.Entries)))
			}
			select {
			case p.out <- f:
			case <-p.done:
				return
			}
		case <-p.done:
			return
		}
	}
}

// Consumer returns the relayed responses.
func (p *trackingPipeline) Consumer() <-chan raft.AppendFuture {
	return p.out
}

// Close stops the relay and closes the wrapped pipeline.
func (p *trackingPipeline) Close() error {
	p.closeOnce.Do(func() { close(p.done) })

	return p.AppendPipeline.Close()
}
