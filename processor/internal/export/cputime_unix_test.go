//go:build unix

package export

import (
	"syscall"
	"time"
)

// cpuTime is the processor time this process has used (user and system), which other
// programs on the machine do not inflate as they do the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
