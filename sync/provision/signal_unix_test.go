//go:build unix

package provision

import "syscall"

// The signals that pause and resume a child process, for
// TestPlanUnderCPUStarvation.
var sigStop, sigCont = syscall.SIGSTOP, syscall.SIGCONT
