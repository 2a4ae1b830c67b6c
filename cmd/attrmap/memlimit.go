package main

import (
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// setMemoryLimit gives the collector a soft memory limit unless GOMEMLIMIT
// sets one. Planning a large directory holds every object, and with the
// default settings alone the heap may grow to twice what is live before a
// collection: a machine that can hold the objects could still run out of
// memory. With the limit the collector works harder as the heap nears it,
// so a cycle whose live data fits completes, in more CPU time rather than
// not at all. The limit is 85% of the memory the process may use: the
// cgroup's limit when it has one (a container), else the machine's.
func setMemoryLimit() {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	meminfo, _ := os.ReadFile("/proc/meminfo")
	cgroup, _ := os.ReadFile("/sys/fs/cgroup/memory.max")
	if limit := memoryLimit(string(meminfo), string(cgroup)); limit > 0 {
		debug.SetMemoryLimit(limit)
	}
}

// memoryLimit computes setMemoryLimit's limit from the text of
// /proc/meminfo and of cgroup v2's memory.max; 0 when neither gives a
// figure.
func memoryLimit(meminfo, cgroupMax string) int64 {
	var total int64
	for line := range strings.Lines(meminfo) {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err == nil {
				total = kb << 10
			}
		}
	}
	if b, err := strconv.ParseInt(strings.TrimSpace(cgroupMax), 10, 64); err == nil && b > 0 && (total == 0 || b < total) {
		total = b // "max" means no limit and does not parse
	}
	return total / 100 * 85
}

// readingGCPercent is the collector's target while plan reads its inputs.
// Reading makes few objects that die (its buffers are reused): nearly all
// it allocates is the snapshots, so a collection finds little to free and
// only marks the growing heap again. A higher target saves those
// collections at little cost in memory, and the soft memory limit still
// holds the heap.
const readingGCPercent = 800

// gcWhileReading raises the collector's target for reading, unless GOGC
// sets one, and returns the function that restores it.
func gcWhileReading() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(readingGCPercent)
	return func() { debug.SetGCPercent(old) }
}
