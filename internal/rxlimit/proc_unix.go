//go:build unix

package rxlimit

import (
	"syscall"
	"time"
)

// ProcessCPU returns the CPU time the process has used (user and system,
// every thread), so that tests that bound how much work something takes
// do not depend on how busy the machine is. Where it cannot be read it
// returns wall-clock time.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return time.Duration(time.Now().UnixNano())
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
