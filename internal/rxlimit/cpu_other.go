//go:build !linux

package rxlimit

import "time"

// threadCPU cannot read a thread's CPU time here: -1 makes the caller use
// wall-clock time.
func threadCPU() time.Duration { return -1 }
