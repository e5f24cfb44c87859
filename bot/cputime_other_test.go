//go:build !unix

package bot

import "time"

// cpuTime is the processor time the process has used; unknown here.
func cpuTime() time.Duration { return 0 }
