package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// clockTick is the unit of /proc/<pid>/stat's CPU times (USER_HZ, 100 on
// every Linux the host supports).
const clockTick = 10 * time.Millisecond

// cpuTimes returns the CPU time (user and system) used so far by this
// process and, summed, by its direct children that are still running (the
// plugin processes). children is 0 where /proc cannot be read.
func cpuTimes() (self, children time.Duration) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	me := strconv.Itoa(os.Getpid())
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// Fields after the parenthesised command name: state ppid ... with
		// utime and stime the 12th and 13th.
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) < 13 || f[1] != me {
			continue
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		k, _ := strconv.ParseInt(f[12], 10, 64)
		children += time.Duration(u+k) * clockTick
	}
	return self, children
}

// reportCPU reports, per request of b, the CPU this process (the host with
// its load generator) and its plugin processes used since before.
func reportCPU(b *testing.B, self0, children0 time.Duration) {
	self, children := cpuTimes()
	n := float64(b.N)
	b.ReportMetric(float64((self-self0).Microseconds())/n, "host+client-µs/req")
	b.ReportMetric(float64((children-children0).Microseconds())/n, "plugin-µs/req")
}
