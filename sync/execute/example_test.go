package execute_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/attrmap/attrmap/sync/execute"
)

// The quarantine page's examples of its escrow thresholds.
func ExampleEvaluate() {
	for _, c := range []execute.Counters{
		{Failed: 4000},
		{Failed: 30000, Succeeded: 5000},
		{Failed: 20000, Succeeded: 100000},
		{Failed: 40000, ReferenceFailed: 21000, Succeeded: 1000000},
	} {
		reason, detail := execute.Evaluate(c)
		if reason == "" {
			reason = "healthy"
		}
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%+v: %s %s", c, reason, detail)))
	}
	// Output:
	// {Succeeded:0 Failed:4000 ReferenceFailed:0}: healthy
	// {Succeeded:5000 Failed:30000 ReferenceFailed:0}: EncounteredEscrowProportionThreshold 30000 of 35000 provisioning events failed (85.7 %, more than 40 %)
	// {Succeeded:100000 Failed:20000 ReferenceFailed:0}: healthy
	// {Succeeded:1000000 Failed:40000 ReferenceFailed:21000}: EncounteredEscrowProportionThreshold 61000 failures, reference failures included, exceed the absolute threshold of 60000
}

// An object that keeps failing is retried on the documented schedule,
// counted from its first failure, with the clock passed in.
func ExampleEscrow_Fail() {
	first := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	var esc execute.Escrow
	now := first
	for range 5 {
		e := esc.Fail("User", "u1", "create", "InternalServerError", "POST /Users: 500", false, now, execute.DocumentedSchedule)
		fmt.Println("retry", e.Retries+1, "at +", e.NextRetry.Sub(first))
		now = e.NextRetry
	}
	// Output:
	// retry 1 at + 6h0m0s
	// retry 2 at + 12h0m0s
	// retry 3 at + 24h0m0s
	// retry 4 at + 48h0m0s
	// retry 5 at + 72h0m0s
}
