package camera

import (
	"context"
	"time"
)

// pacer spaces events at a fixed rate. When the caller falls behind, it does not burst to
// catch up: after a delay of more than one interval, the schedule restarts from now.
type pacer struct {
	interval time.Duration // zero means no pacing
	next     time.Time     // earliest time of the next event; zero before the first
}

// newPacer returns a pacer for fps events per second; fps <= 0 disables pacing.
func newPacer(fps float64) *pacer {
	if fps <= 0 {
		return &pacer{}
	}

	return &pacer{interval: time.Duration(float64(time.Second) / fps)}
}

// wait blocks until the next event is due or ctx ends.
func (p *pacer) wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.interval == 0 {
		return nil
	}

	now := time.Now()
	if p.next.IsZero() || now.Sub(p.next) > p.interval {
		p.next = now
	}
	if err := sleepCtx(ctx, p.next.Sub(now)); err != nil {
		return err
	}

	p.next = p.next.Add(p.interval)

	return nil
}
