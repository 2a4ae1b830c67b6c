package execute

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// retryTimes fails an object at each retry as it comes due, with a fake
// clock, and returns the retry times as offsets from the first failure.
func retryTimes(s Schedule) (offsets []time.Duration, expiredAfter int) {
	first := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	var e Escrow
	now := first
	for n := 0; n < 100; n++ {
		en := e.Fail("User", "u1", "create", "InternalServerError", "500", false, now, s)
		if en.Expired {
			return offsets, en.Retries
		}
		if due, _ := e.Due("User", "u1", en.NextRetry.Add(-time.Second)); due {
			panic("due before its time")
		}
		offsets = append(offsets, en.NextRetry.Sub(first))
		now = en.NextRetry
	}
	return offsets, -1
}

func TestSchedules(t *testing.T) {
	h := time.Hour
	t.Run("backoff", func(t *testing.T) {
		got, expired := retryTimes(BackoffSchedule)
		want := []time.Duration{2 * h, 6 * h, 12 * h, 24 * h, 48 * h, 96 * h, 168 * h}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("retries (-want +got):\n%s", diff)
		}
		if expired != 7 {
			t.Errorf("flagged after retry %d, want the 7th", expired)
		}
	})
	t.Run("documented", func(t *testing.T) {
		got, expired := retryTimes(DocumentedSchedule)
		want := []time.Duration{6 * h, 12 * h, 24 * h}
		for d := 48 * h; d <= 28*24*h; d += 24 * h {
			want = append(want, d)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("retries (-want +got):\n%s", diff)
		}
		if last := got[len(got)-1]; last != 28*24*h {
			t.Errorf("last retry at %v, want 28 days", last)
		}
		if expired != len(want) {
			t.Errorf("expired after %d retries, want %d", expired, len(want))
		}
	})
}

func TestEscrowSucceed(t *testing.T) {
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	var e Escrow
	e.Fail("User", "u1", "create", "EntryConflict", "409", false, now, DocumentedSchedule)
	e.Fail("Group", "g1", "update", "InvalidAnchor", "404", true, now, DocumentedSchedule)
	if due, at := e.Due("user", "u1", now.Add(5*time.Hour)); due || !at.Equal(now.Add(6*time.Hour)) {
		t.Errorf("Due after 5h = %t, %v; want false, +6h", due, at)
	}
	e.Succeed("User", "u1")
	want := Counters{Succeeded: 1, Failed: 1, ReferenceFailed: 1}
	if diff := cmp.Diff(want, e.Counters); diff != "" {
		t.Errorf("counters (-want +got):\n%s", diff)
	}
	if len(e.Entries) != 1 || e.Entries[0].Key != "g1" {
		t.Errorf("entries = %+v, want only g1", e.Entries)
	}
}

// The examples of the quarantine page's "Escrow thresholds".
func TestEvaluate(t *testing.T) {
	tests := []struct {
		name string
		c    Counters
		want string
	}{
		{"4,000 failures are not evaluated", Counters{Failed: 4000}, ""},
		{"5,000 failures, all failed", Counters{Failed: 5000}, ReasonEscrowThreshold},
		{"45,000 failures exceed 40,000", Counters{Failed: 45000, Succeeded: 1000000}, ReasonEscrowThreshold},
		{"30,000 failed and 5,000 succeeded exceed 40 %", Counters{Failed: 30000, Succeeded: 5000}, ReasonEscrowThreshold},
		{"20,000 failed and 100,000 succeeded", Counters{Failed: 20000, Succeeded: 100000}, ""},
		{"40,000 failed and 21,000 reference failures exceed 60,000", Counters{Failed: 40000, ReferenceFailed: 21000, Succeeded: 1000000}, ReasonEscrowThreshold},
		{"40,000 failed, 40 % exactly", Counters{Failed: 40000, Succeeded: 60000}, ""},
		{"reference failures do not count toward 40 %", Counters{Failed: 4999, ReferenceFailed: 50000}, ""},
		{"40,001 failures", Counters{Failed: 40001, Succeeded: 1000000}, ReasonEscrowThreshold},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, detail := Evaluate(tt.c)
			if got != tt.want {
				t.Errorf("Evaluate(%+v) = %q (%s), want %q", tt.c, got, detail, tt.want)
			}
		})
	}
}
