//go:build unix

package scoping

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time the process has used, so that timing
// tests do not depend on how busy the machine is.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return time.Duration(time.Now().UnixNano())
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
