//go:build !unix

package export

import "time"

var cpuStart = time.Now()

// cpuTime is the wall clock where the processor time is not at hand.
func cpuTime() time.Duration { return time.Since(cpuStart) }
