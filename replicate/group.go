package replicate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/raft"
)

// Group is this node's member of one raft group: its raft instance, state machine, outbox and
// the loops that retry queued commands and purge forgotten clients.
type Group struct {
	cfg       GroupConfig
	logger    *slog.Logger
	raft      *raft.Raft
	store     *Store
	snaps     *raft.FileSnapshotStore
	fsm       *fsm
	progress  *progress
	outbox    *outbox
	reconcile *reconciler

	// staleRejected counts the stale rejections of queued commands since the outbox was
	// last empty. Only the outbox goroutine uses it.
	staleRejected int

	observer *raft.Observer
	cancel   context.CancelFunc
	loops    sync.WaitGroup

	isClosed  atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

// Open starts this node's member of the group described by cfg. With cfg.Bootstrap and no
// raft state on disk, it first bootstraps a configuration with this node as the only voter.
func Open(cfg GroupConfig) (*Group, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}

	g := &Group{
		cfg:      cfg,
		logger:   cfg.Logger.With("group", cfg.Name),
		store:    NewStore(cfg.DB, cfg.Name),
		progress: newProgress(),
	}

	if err := g.openState(); err != nil {
		return nil, err
	}

	if err := g.startRaft(); err != nil {
		return nil, err
	}

	g.startLoops()
	g.logger.Info("group opened", "id", cfg.LocalID, "applied_index", g.fsm.applied.Load())

	return g, nil
}

// openState opens the snapshot store, the state machine and the outbox.
func (g *Group) openState() error {
	dir := filepath.Join(g.cfg.Dir, "raft", g.cfg.Name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create snapshot folder %s: %w", dir, err)
	}

	raftLogger := newRaftLogger(g.logger)
	snaps, err := raft.NewFileSnapshotStoreWithLogger(dir, 1, raftLogger.Named("snapshot"))
	if err != nil {
		return fmt.Errorf("open snapshot store %s: %w", dir, err)
	}
	g.snaps = snaps

	if g.fsm, err = newFSM(g.cfg.DB, g.cfg.Name, g.cfg.Applier, g.logger); err != nil {
		return err
	}

	if g.fsm.partial.Load() {
		err = g.checkRestoreRedo(dir)
	} else {
		err = g.catchUpWithSnapshot()
	}
	if err != nil {
		return err
	}

	if g.outbox, err = openOutbox(g.cfg.DB, g.cfg.Name); err != nil {
		return err
	}
	g.reconcile = newReconciler()

	return nil
}

// catchUpWithSnapshot restores the latest snapshot when the state in Pebble is older. That
// happens after a crash between raft storing an installed snapshot and the state machine
// committing its Restore. Raft starts applying after the snapshot's index and is configured
// not to restore snapshots on start, so without this step the entries in between would be
// missing.
func (g *Group) catchUpWithSnapshot() error {
	metas, err := g.snaps.List()
	if err != nil {
		return fmt.Errorf("list snapshots of %s: %w", g.cfg.Name, err)
	}
	if len(metas) == 0 || metas[0].Index <= g.fsm.applied.Load() {
		return nil
	}

	_, source, err := g.snaps.Open(metas[0].ID)
	if err != nil {
		return fmt.Errorf("open snapshot %s: %w", metas[0].ID, err)
	}

	g.logger.Warn("state older than latest snapshot, restoring it",
		"applied_index", g.fsm.applied.Load(), "snapshot_index", metas[0].Index)

	return g.fsm.Restore(source)
}

// checkRestoreRedo handles a restore marker found at Open: a snapshot restore committed part
// of its batches and then failed or was cut by a crash. Raft persists a snapshot before it
// calls Restore, so the snapshot store holds it, and startRaft has raft restore it again.
// Without a stored snapshot the partial state cannot be repaired here, so Open fails.
func (g *Group) checkRestoreRedo(dir string) error {
	interrupted, _, err := readRestoring(g.cfg.DB, g.cfg.Name)
	if err != nil {
		return err
	}

	metas, err := g.snaps.List()
	if err != nil {
		return fmt.Errorf("list snapshots of %s: %w", g.cfg.Name, err)
	}
	if len(metas) == 0 {
		return fmt.Errorf("open %s: %w at snapshot index %d, and no snapshot found in %s "+
			"to restore again", g.cfg.Name, ErrPartialState, interrupted, dir)
	}

	g.logger.Warn("snapshot restore was interrupted, restoring the latest snapshot again",
		"interrupted_index", interrupted, "snapshot_index", metas[0].Index)

	return nil
}

// startRaft bootstraps when asked and needed, then starts raft. The state machine lives in
// Pebble, so raft must not restore the latest snapshot over it on start, unless a restore was
// interrupted and left the state partial.
func (g *Group) startRaft() error {
	rc := g.cfg.Raft
	rc.LocalID = g.cfg.LocalID
	rc.Logger = newRaftLogger(g.logger)
	rc.NoSnapshotRestoreOnStart = !g.fsm.partial.Load()

	trans := wrapTransport(g.cfg.Transport, g.progress)

	if g.cfg.Bootstrap {
		if err := g.bootstrap(rc, trans); err != nil {
			return err
		}
	}

	r, err := raft.NewRaft(rc, g.fsm, g.store, g.store, g.snaps, trans)
	if err != nil {
		return fmt.Errorf("start raft for %s: %w", g.cfg.Name, err)
	}
	g.raft = r

	return nil
}

func (g *Group) bootstrap(rc *raft.Config, trans raft.Transport) error {
	existing, err := raft.HasExistingState(g.store, g.store, g.snaps)
	if err != nil {
		return fmt.Errorf("check raft state of %s: %w", g.cfg.Name, err)
	}
	if existing {
		return nil
	}

	configuration := raft.Configuration{Servers: []raft.Server{{
		Suffrage: raft.Voter,
		ID:       g.cfg.LocalID,
		Address:  trans.LocalAddr(),
	}}}
	if err := raft.BootstrapCluster(rc, g.store, g.store, g.snaps, trans,
		configuration); err != nil {
		return fmt.Errorf("bootstrap %s: %w", g.cfg.Name, err)
	}

	g.logger.Info("group bootstrapped", "id", g.cfg.LocalID)

	return nil
}

// startLoops starts the outbox and purge loops and wakes the outbox on every leader change.
func (g *Group) startLoops() {
	ctx, cancel := context.WithCancel(context.Background())
	g.cancel = cancel

	leaderChanges := make(chan raft.Observation, 4)
	g.observer = raft.NewObserver(leaderChanges, false, func(o *raft.Observation) bool {
		_, ok := o.Data.(raft.LeaderObservation)
		return ok
	})
	g.raft.RegisterObserver(g.observer)

	g.loops.Add(3)
	go func() {
		defer g.loops.Done()
		g.watchLeader(ctx, leaderChanges)
	}()
	go func() {
		defer g.loops.Done()
		g.runOutbox(ctx)
	}()
	go func() {
		defer g.loops.Done()
		g.runPurge(ctx)
	}()
}

func (g *Group) watchLeader(ctx context.Context, changes <-chan raft.Observation) {
	for {
		select {
		case <-ctx.Done():
			return
		case o := <-changes:
			g.progress.reset()
			g.outbox.wake()
			leader := o.Data.(raft.LeaderObservation)
			g.logger.Info("leader changed", "leader", leader.LeaderID)
		}
	}
}

func (g *Group) closed() bool {
	return g.isClosed.Load()
}

// Name returns the group's name.
func (g *Group) Name() string {
	return g.cfg.Name
}

// Raft returns the group's raft instance, for callers that need an API this type does not
// wrap. Changing the configuration through it bypasses Reconcile's bookkeeping.
func (g *Group) Raft() *raft.Raft {
	return g.raft
}

// Close stops the outbox and purge loops, then shuts raft down, which also closes the
// transport. Queued commands stay in the outbox in Pebble and are retried after the next Open.
// The caller closes the Pebble database after Close returns.
func (g *Group) Close() error {
	g.closeOnce.Do(func() {
		g.isClosed.Store(true)
		g.cancel()
		g.loops.Wait()
		g.raft.DeregisterObserver(g.observer)

		if err := g.raft.Shutdown().Error(); err != nil &&
			!errors.Is(err, raft.ErrRaftShutdown) {
			g.closeErr = fmt.Errorf("shut down raft of %s: %w", g.cfg.Name, err)
		}
		g.logger.Info("group closed", "id", g.cfg.LocalID)
	})

	return g.closeErr
}
