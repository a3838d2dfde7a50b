package track

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestQuiet_Allow(t *testing.T) {
	type call struct {
		client string
		at     time.Duration // after epoch
		want   bool
	}

	tests := []struct {
		name  string
		calls []call
	}{
		{"FirstAlertAllowed", []call{{"c1", 0, true}}},
		{"RepeatWithinPeriodRefused", []call{{"c1", 0, true}, {"c1", 30 * time.Second, false}}},
		{"RepeatAfterPeriodAllowed", []call{{"c1", 0, true}, {"c1", time.Minute, true}}},
		{"ClientsIndependent", []call{{"c1", 0, true}, {"c2", time.Second, true}}},
		{"RefusalDoesNotExtend", []call{
			{"c1", 0, true},
			{"c1", 50 * time.Second, false},
			{"c1", 60 * time.Second, true},
		}},
		{"AllowedAlertRestartsPeriod", []call{
			{"c1", 0, true},
			{"c1", 70 * time.Second, true},
			{"c1", 100 * time.Second, false},
			{"c1", 130 * time.Second, true},
		}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			quiet := NewQuiet(time.Minute)
			for i, c := range tt.calls {
				if got := quiet.Allow(c.client, epoch.Add(c.at)); got != c.want {
					t.Errorf("call %d: Allow(%s, +%v) = %v, want %v", i, c.client, c.at, got,
						c.want)
				}
			}
		})
	}
}

func TestQuiet_ForgetsOldClients(t *testing.T) {
	quiet := NewQuiet(time.Minute)
	for i := range 1000 {
		quiet.Allow(fmt.Sprintf("client-%d", i), epoch)
	}
	if got := quiet.Len(); got != 1000 {
		t.Fatalf("Len = %d after 1000 alerts, want 1000", got)
	}

	quiet.Allow("late", epoch.Add(2*time.Minute))

	if got := quiet.Len(); got != 1 {
		t.Errorf("Len = %d two periods later, want 1", got)
	}
}

func TestQuiet_ConcurrentAllowOnce(t *testing.T) {
	quiet := NewQuiet(time.Minute)

	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 16 {
		wg.Go(func() {
			if quiet.Allow("c1", epoch) {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()

	if allowed != 1 {
		t.Errorf("%d concurrent calls were allowed, want 1", allowed)
	}
}
