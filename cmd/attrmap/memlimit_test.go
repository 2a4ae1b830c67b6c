package main

import "testing"

func TestMemoryLimit(t *testing.T) {
	const meminfo = "MemTotal:       24683620 kB\nMemFree:        19000000 kB\n"
	for _, tc := range []struct {
		name, meminfo, cgroup string
		want                  int64
	}{
		{"machine", meminfo, "", 24683620 << 10 / 100 * 85},
		{"cgroup without a limit", meminfo, "max\n", 24683620 << 10 / 100 * 85},
		{"cgroup limit", meminfo, "4294967296\n", 4294967296 / 100 * 85},
		{"cgroup above the machine", meminfo, "99999999999999\n", 24683620 << 10 / 100 * 85},
		{"cgroup alone", "", "1000\n", 850},
		{"nothing", "", "", 0},
		{"unreadable", "MemTotal: lots\n", "max", 0},
	} {
		if got := memoryLimit(tc.meminfo, tc.cgroup); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}
