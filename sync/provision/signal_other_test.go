//go:build !unix

package provision

import "os"

// Processes cannot be paused by a signal here: sending these fails, and
// TestPlanUnderCPUStarvation runs without pauses.
var sigStop, sigCont os.Signal
