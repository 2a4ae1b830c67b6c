//go:build !unix

package rxlimit

import "time"

// ProcessCPU stands in wall-clock time where the process's CPU time is not
// read (see the unix version).
func ProcessCPU() time.Duration { return time.Duration(time.Now().UnixNano()) }
